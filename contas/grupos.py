"""Os nomes dos perfis de acesso (grupos do Django), sem regra nenhuma.

Ficam aqui, e não em ``contas.perfis``, para que a tabela de papéis (``contas.papeis``, que os usa) e as perguntas
sobre perfis (``contas.perfis``, que lê a tabela) dependam deste módulo sem dependerem uma da outra: sem isso as
duas se importavam mutuamente (um ciclo escondido num import dentro de função). O resto do código continua
usando ``perfis.SEGOV`` etc., que ``contas.perfis`` expõe.
"""

PARLAMENTAR = "Parlamentar"
SEGOV = "SEGOV"
ORGAO = "Órgão"
CONVENENTE = "Convenente"
ADMINISTRADOR = "Administrador"
VISUALIZADOR = "Visualizador de Relatórios"  # somente leitura, vê todos os relatórios
# Age em nome dos parlamentares que o associaram (emendas.VinculoAssessor), com o próprio login.
ASSESSOR = "Assessor"

TODOS = [PARLAMENTAR, SEGOV, ORGAO, CONVENENTE, ADMINISTRADOR, VISUALIZADOR, ASSESSOR]
