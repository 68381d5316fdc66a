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

  // Marca (ou desmarca) as caixas da página de uma fila e deixa a caixa do cabeçalho e o link de acordo.
  function marcarTodos(form, sim) {
    var caixas = form.querySelectorAll("input[type='checkbox'][name='selecionados'], [data-selecionar-todos]");
    for (var c = 0; c < caixas.length; c++) caixas[c].checked = sim;
    var links = form.querySelectorAll("[data-marcar-todos]");
    for (var l = 0; l < links.length; l++) {
      links[l].setAttribute("data-marcar-todos", sim ? "0" : "1");
      links[l].textContent = sim ? "Desmarcar todos desta página" : "Marcar todos desta página";
    }
  }

  // data-marcar-todos: o link "Marcar todos desta página" (sem JavaScript ele recarrega a fila com ?todos=1) marca
  // na hora, sem recarregar.
  document.addEventListener("click", function (e) {
    var link = e.target.closest("[data-marcar-todos]");
    var form = link && link.closest("form");
    if (!form) return;
    e.preventDefault();
    marcarTodos(form, link.getAttribute("data-marcar-todos") === "1");
  });

  document.addEventListener("change", function (e) {
    var campo = e.target;
    if (campo.hasAttribute("data-selecionar-todos") && campo.form) {
      marcarTodos(campo.form, campo.checked);
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

  // Botão "Usar este beneficiário" (data-cnpj): preenche o CNPJ na primeira linha vazia (e o htmx mostra o nome
  // embaixo dela) e leva ao valor. Sem linha vazia, avisa para adicionar uma. Sem JavaScript, copie o CNPJ.
  document.addEventListener("click", function (e) {
    var botao = e.target.closest("[data-cnpj]");
    if (!botao) return;
    var campos = document.querySelectorAll("input[name^='cnpj_']");
    for (var i = 0; i < campos.length; i++) {
      if (!campos[i].value) {
        campos[i].value = botao.getAttribute("data-cnpj");
        campos[i].dispatchEvent(new Event("change", { bubbles: true }));
        var valor = document.getElementsByName("valor_" + campos[i].getAttribute("data-cnpj-linha"))[0];
        if (valor) valor.focus();
        return;
      }
    }
    var aviso = botao.parentNode.querySelector("[data-sem-linha-vazia]");
    if (!aviso) {
      aviso = document.createElement("span");
      aviso.setAttribute("data-sem-linha-vazia", "");
      aviso.setAttribute("role", "status");
      botao.insertAdjacentElement("afterend", aviso);
    }
    aviso.textContent = " Todas as linhas estão preenchidas: use “Adicionar linha”.";
  });

  // data-mascara="data": dd/mm/aaaa enquanto se digita (só algarismos; as barras entram sozinhas). Quem lê a data
  // é o servidor (sigcon/datas.py), que recusa um dia que não existe; apagar não é reformatado.
  document.addEventListener("input", function (e) {
    var campo = e.target;
    if (campo.getAttribute("data-mascara") !== "data") return;
    if (e.inputType && e.inputType.indexOf("delete") === 0) return;
    var iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(campo.value.trim());  // colado de uma planilha ou de outro sistema
    if (iso) {
      campo.value = iso[3] + "/" + iso[2] + "/" + iso[1];
      return;
    }
    var d = campo.value.replace(/\D/g, "").slice(0, 8);
    var texto = d.slice(0, 2);
    if (d.length > 2) texto += "/" + d.slice(2, 4);
    if (d.length > 4) texto += "/" + d.slice(4);
    campo.value = texto;
  });

  // O total corrente do formulário de indicação (data-total-indicacao): soma os valores das linhas a cada tecla,
  // contra o disponível do saldo escolhido. O servidor faz a mesma conta a cada reenvio e na validação.
  function centavos(texto) {
    var bruto = (texto || "").replace("R$", "").replace(/[\s\u00a0]/g, "");
    if (!bruto) return 0;
    var inteiro, decimais, milhar = /^[0-9]{1,3}(\.[0-9]{3})+$/;
    if (bruto.indexOf(",") >= 0) {
      var k = bruto.lastIndexOf(",");
      inteiro = bruto.slice(0, k);
      decimais = bruto.slice(k + 1);
      if (inteiro.indexOf(",") >= 0 || (inteiro.indexOf(".") >= 0 && !milhar.test(inteiro))) return null;
      inteiro = inteiro.replace(/\./g, "");
    } else if (milhar.test(bruto)) {
      inteiro = bruto.replace(/\./g, "");
      decimais = "";
    } else if (bruto.split(".").length === 2) {
      inteiro = bruto.split(".")[0];
      decimais = bruto.split(".")[1];
    } else {
      inteiro = bruto;
      decimais = "";
    }
    if (!/^[0-9]*$/.test(inteiro) || !/^[0-9]{0,2}$/.test(decimais)) return null;
    return Number(inteiro || "0") * 100 + Number((decimais + "00").slice(0, 2));
  }

  function reais(c) {
    var inteiro = String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return "R$ " + inteiro + "," + String(c % 100).padStart(2, "0");
  }

  function atualizarTotal() {
    var caixa = document.querySelector("[data-total-indicacao]");
    if (!caixa) return;
    var total = 0;
    var campos = document.querySelectorAll("[data-valor-linha]");
    for (var i = 0; i < campos.length; i++) total += centavos(campos[i].value) || 0;
    caixa.querySelector("[data-total-valor]").textContent = reais(total);
    var escolhido = document.querySelector("input[name='origem_saldo']:checked");
    var atributos = caixa.getAttributeNames().filter(function (n) { return n.indexOf("data-disponivel-") === 0; });
    var nome = escolhido ? "data-disponivel-" + escolhido.value.toLowerCase() : (atributos.length === 1 ? atributos[0] : "");
    var saida = caixa.querySelector("[data-total-disponivel]");
    if (!nome || !caixa.hasAttribute(nome)) return;
    var disponivel = Math.round(Number(caixa.getAttribute(nome)) * 100);
    saida.textContent = "· disponível " + reais(disponivel) + " · ";
    var diferenca = document.createElement("span");
    if (total > disponivel) {
      diferenca.className = "text-danger fw-semibold";
      diferenca.textContent = "passa em " + reais(total - disponivel);
    } else {
      diferenca.textContent = "sobram " + reais(disponivel - total);
    }
    saida.appendChild(diferenca);
  }
  document.addEventListener("input", function (e) {
    if (e.target.hasAttribute("data-valor-linha")) atualizarTotal();
  });
  document.addEventListener("change", function (e) {
    if (e.target.name === "origem_saldo") atualizarTotal();
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

  // Tipo de atendimento / tipo de aplicação (data-formas="CONVENIO ..."): com JavaScript só o bloco que a forma de
  // execução escolhida usa fica à vista; sem ele, os dois aparecem, cada um dizendo a que formas serve.
  function mostrarCatalogoDaForma() {
    var forma = document.getElementById("id_forma_execucao");
    if (!forma) return;
    document.querySelectorAll("[data-formas]").forEach(function (bloco) {
      bloco.hidden = bloco.getAttribute("data-formas").split(" ").indexOf(forma.value) < 0;
    });
  }
  mostrarCatalogoDaForma();
  document.addEventListener("change", function (e) {
    if (e.target.id === "id_forma_execucao") mostrarCatalogoDaForma();
  });
  document.addEventListener("htmx:afterSettle", mostrarCatalogoDaForma);
})();
