"""Duas cargas do catálogo ao mesmo tempo (threads e conexões reais no PostgreSQL): a trava dos grupos de despesa
põe uma atrás da outra; nenhuma falha por nome repetido e o catálogo final é exatamente o de um dos arquivos."""

import pytest

from emendas.catalogo.carga import carregar_catalogo
from emendas.models import EspecificacaoAtendimento
from tests.concorrencia import em_paralelo, so_no_postgres

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]
CAB = "grupo_despesa;genero;categoria;especificacao\n"


def _arquivo(prefixo, n=40):
    # Os dois arquivos criam os mesmos gêneros e categorias: sem a trava, as duas cargas os criariam juntas.
    return (CAB + "".join(f"4;OBRA;Reforma;{prefixo} {k}\n3;OBRA;Construção;{prefixo} {k}\n" for k in range(n))).encode()


def _ativas():
    return sorted(EspecificacaoAtendimento.objects.filter(ativa=True).values_list("nome", flat=True))


def test_cargas_simultaneas_nao_se_misturam(segov, grupo_inv, grupo_odc):
    so_no_postgres()
    for rodada in range(3):
        a, b = _arquivo(f"A{rodada}"), _arquivo(f"B{rodada}")
        resultados = em_paralelo([
            lambda: carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=a),
            lambda: carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=b),
        ])
        assert not [r for r in resultados if isinstance(r, Exception)], resultados
        finais = _ativas()
        assert len(finais) == 80  # 40 especificações em cada uma das duas categorias
        finais = sorted(set(finais))
        so_a = sorted({f"A{rodada} {k}" for k in range(40)})
        so_b = sorted({f"B{rodada} {k}" for k in range(40)})
        assert finais in (so_a, so_b), finais[:5]
