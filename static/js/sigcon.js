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

  // Envio único: depois do envio de um formulário POST (confirmado acima), um segundo clique não envia de novo e os
  // botões ficam desabilitados até a próxima página. O servidor garante o mesmo pelo token (envios.unico); aqui é
  // só para a pessoa ver que o clique valeu. Os formulários do htmx ficam de fora (a página não muda depois).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || (form.method || "").toLowerCase() !== "post" || form.hasAttribute("hx-post")) return;
    if (form.hasAttribute("data-enviando")) {
      e.preventDefault();
      return;
    }
    form.setAttribute("data-enviando", "");
    // Depois do evento: desabilitar o botão agora tiraria do envio o name=value dele (ex.: "confirmar").
    window.setTimeout(function () {
      var botoes = form.querySelectorAll("button[type='submit'], button:not([type]), input[type='submit']");
      for (var i = 0; i < botoes.length; i++) {
        botoes[i].disabled = true;
        botoes[i].setAttribute("aria-busy", "true");
      }
    }, 0);
  });

  // Voltar (cache de páginas do navegador): a página volta como estava, com os botões desabilitados. Reabilita;
  // reenviar o mesmo formulário mostra o resultado do primeiro envio (o token já foi usado), não age de novo.
  window.addEventListener("pageshow", function () {
    var enviados = document.querySelectorAll("form[data-enviando]");
    for (var f = 0; f < enviados.length; f++) {
      enviados[f].removeAttribute("data-enviando");
      var botoes = enviados[f].querySelectorAll("[aria-busy='true']");
      for (var i = 0; i < botoes.length; i++) {
        botoes[i].disabled = false;
        botoes[i].removeAttribute("aria-busy");
      }
    }
  });

  // data-selecionar-todos: a caixa do cabeçalho de uma fila marca ou desmarca os itens da página.
  var todos = document.querySelectorAll("[data-selecionar-todos]");
  for (var t = 0; t < todos.length; t++) todos[t].hidden = false;

  document.addEventListener("change", function (e) {
    var campo = e.target;
    if (campo.hasAttribute("data-selecionar-todos") && campo.form) {
      var caixas = campo.form.querySelectorAll("input[type='checkbox'][name='selecionados']");
      for (var c = 0; c < caixas.length; c++) caixas[c].checked = campo.checked;
      return;
    }
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
  // Tabela que passa da largura (.table-responsive com rolagem lateral): quem usa o teclado precisa chegar
  // nela para rolar, então, enquanto ela rola, vira uma região com nome (a legenda da tabela ou o título da
  // seção) e parada do Tab; quando cabe, volta ao que era. Confere na carga, ao mudar o tamanho da janela e
  // depois de cada troca do htmx.
  function nomeDaTabela(caixa) {
    var legenda = caixa.querySelector("caption");
    var secao = caixa.closest("section");
    var titulo = secao && secao.querySelector("h1, h2, h3");
    var texto = (legenda && legenda.textContent.trim()) || (titulo && titulo.textContent.trim()) || "Tabela";
    return texto + " (role para o lado)";
  }

  function regioesRolaveis() {
    var caixas = document.querySelectorAll(".table-responsive");
    for (var i = 0; i < caixas.length; i++) {
      var caixa = caixas[i];
      var rola = caixa.scrollWidth > caixa.clientWidth + 1;
      if (rola && !caixa.hasAttribute("data-rolavel")) {
        var postos = [];
        if (!caixa.hasAttribute("tabindex")) { caixa.setAttribute("tabindex", "0"); postos.push("tabindex"); }
        if (!caixa.hasAttribute("role")) { caixa.setAttribute("role", "region"); postos.push("role"); }
        if (!caixa.hasAttribute("aria-label") && !caixa.hasAttribute("aria-labelledby")) {
          caixa.setAttribute("aria-label", nomeDaTabela(caixa));
          postos.push("aria-label");
        }
        caixa.setAttribute("data-rolavel", postos.join(" "));
      } else if (!rola && caixa.hasAttribute("data-rolavel")) {
        var tirar = caixa.getAttribute("data-rolavel").split(" ");
        for (var t = 0; t < tirar.length; t++) if (tirar[t]) caixa.removeAttribute(tirar[t]);
        caixa.removeAttribute("data-rolavel");
      }
    }
  }

  var agendado = false;
  function agendarRegioes() {
    if (agendado) return;
    agendado = true;
    window.requestAnimationFrame(function () { agendado = false; regioesRolaveis(); });
  }
  regioesRolaveis();
  window.addEventListener("resize", agendarRegioes);
  document.addEventListener("htmx:afterSettle", agendarRegioes);
})();
