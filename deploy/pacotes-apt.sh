#!/usr/bin/env bash
# Pacotes do Debian de que o SIGCON precisa: uma lista só, usada pela imagem (Dockerfile) e pelo CI (.ci/run).
#
#   bash deploy/pacotes-apt.sh execucao   o que a aplicação usa para rodar (WeasyPrint: pango, harfbuzz, fontes)
#   bash deploy/pacotes-apt.sh ci         isso mais o que os testes usam (PostgreSQL, Redis, Chromium, poppler)
#
# Instala só o que falta (apt-get update só quando há o que instalar). Precisa ser root.
set -euo pipefail

PACOTES_EXECUCAO=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
PACOTES_CI=(postgresql redis-server chromium poppler-utils make)

case "${1:-execucao}" in
  # A imagem fica enxuta (sem os recomendados); no CI o Chromium vem com os recomendados, como sempre veio.
  execucao) pacotes=("${PACOTES_EXECUCAO[@]}"); opcoes=(--no-install-recommends) ;;
  ci) pacotes=("${PACOTES_EXECUCAO[@]}" "${PACOTES_CI[@]}"); opcoes=() ;;
  *) echo "uso: $0 [execucao|ci]" >&2; exit 2 ;;
esac

faltam=()
for pacote in "${pacotes[@]}"; do
  dpkg -s "$pacote" >/dev/null 2>&1 || faltam+=("$pacote")
done
if [ ${#faltam[@]} -gt 0 ]; then
  echo "Instalando com apt: ${faltam[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${opcoes[@]+"${opcoes[@]}"} "${faltam[@]}" >/dev/null
fi
