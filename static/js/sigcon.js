/* Comportamentos da interface do SIGCON Saída.
 *
 * A Content-Security-Policy só aceita scripts deste servidor: nada de <script> inline nem de atributos
 * onclick=/onsubmit=/onchange= nos templates. Os templates marcam o comportamento com atributos data-*
 * e este arquivo o liga, por delegação no document (vale também para o que o htmx troca na página).
 * Tudo aqui é melhoria: sem JavaScript os formulários funcionam do mesmo jeito, só sem a confirmação.
 */
(function () {
  "use strict";

  // data-confirmar="mensagem" no <form> (qualquer envio) ou no botão de envio (só o envio por ele).
  // Na captura, antes do htmx ou de outro ouvinte do formulário: um "Cancelar" não envia nada.
  document.addEventListener("submit", function (e) {
    var botao = e.submitter;
    var mensagem = (botao && botao.getAttribute("data-confirmar")) || e.target.getAttribute("data-confirmar");
    if (mensagem && !window.confirm(mensagem)) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  document.addEventListener("change", function (e) {
    var campo = e.target;
    // data-enviar-ao-mudar: o seletor de exercício troca a página ao escolher (sem JavaScript, botão "Ver").
    if (campo.hasAttribute("data-enviar-ao-mudar") && campo.form) {
      campo.form.submit();
      return;
    }
    // data-acompanha="id": este campo copia o valor do campo com esse id, e avisa quem o observa (htmx).
    // A busca de beneficiários acompanha a forma de execução escolhida (sem JavaScript, escolha nas duas).
    if (!campo.id) return;
    var seguidores = document.querySelectorAll("[data-acompanha='" + campo.id + "']");
    for (var i = 0; i < seguidores.length; i++) {
      seguidores[i].value = campo.value;
      seguidores[i].dispatchEvent(new Event("change"));
    }
  });

  // data-voltar: um trecho com o link "Voltar" ao histórico. Vem escondido (hidden) no HTML e só aparece
  // aqui, porque sem JavaScript um link não volta (e a CSP não executa links javascript:).
  var voltar = document.querySelectorAll("[data-voltar]");
  for (var v = 0; v < voltar.length; v++) voltar[v].hidden = false;
  document.addEventListener("click", function (e) {
    if (!e.target.closest("[data-voltar] a")) return;
    e.preventDefault();
    window.history.back();
  });

  // Botão "Usar este beneficiário" (data-cnpj): preenche o CNPJ na primeira linha vazia e leva ao valor.
  // Sem JavaScript, copie o CNPJ mostrado na busca.
  document.addEventListener("click", function (e) {
    var botao = e.target.closest("[data-cnpj]");
    if (!botao) return;
    var campos = document.querySelectorAll("input[name^='cnpj_']");
    for (var i = 0; i < campos.length; i++) {
      if (!campos[i].value) {
        campos[i].value = botao.getAttribute("data-cnpj");
        var valor = document.getElementsByName("valor_" + (i + 1))[0];
        if (valor) valor.focus();
        break;
      }
    }
  });
  // Formulário com erros: o resumo ({% resumo_de_erros %}, data-resumo-erros) lista os campos; o foco vai ao
  // primeiro campo errado (ou ao resumo, quando o erro não é de um campo), na carga e quando o htmx troca um
  // trecho. Os links do resumo levam o foco ao campo, não só a rolagem.
  function focarPrimeiroErro(raiz) {
    var resumo = raiz.querySelector("[data-resumo-erros]");
    if (!resumo) return;
    var campo = raiz.querySelector(".is-invalid, [aria-invalid='true']");
    (campo || resumo).focus();
  }
  focarPrimeiroErro(document);
  document.addEventListener("htmx:afterSwap", function (e) { focarPrimeiroErro(e.target); });
  document.addEventListener("click", function (e) {
    var link = e.target.closest("[data-ir-ao-campo]");
    if (!link) return;
    var campo = document.getElementById(link.getAttribute("data-ir-ao-campo"));
    if (!campo) return;
    e.preventDefault();
    campo.focus();
    campo.scrollIntoView({block: "center"});
  });

  // Andamento de um arquivo pedido (relatorios/_progresso.html): o trecho é trocado a cada 2 s pelo htmx, e uma
  // região aria-live dentro dele seria lida de novo a cada troca. O texto a anunciar vem em data-anuncio e vai
  // para a região fixa [data-anuncio-vivo] só quando muda (ex.: "pronto"), uma vez.
  function anunciar() {
    var fonte = document.querySelector("[data-anuncio]");
    var vivo = document.querySelector("[data-anuncio-vivo]");
    if (!fonte || !vivo) return;
    var texto = fonte.getAttribute("data-anuncio");
    if (vivo.getAttribute("data-ultimo") !== texto) {
      vivo.setAttribute("data-ultimo", texto);
      vivo.textContent = texto;
    }
  }
  document.addEventListener("htmx:afterSettle", anunciar);
})();
