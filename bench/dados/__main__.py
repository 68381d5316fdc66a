"""``python -m bench.dados [--escala estado|pequena] [--refazer]``: prepara o banco do bench e imprime as contagens."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description="Gera (ou reaproveita) os dados do bench e prepara o banco de trabalho.")
    parser.add_argument("--escala", default="estado", choices=["estado", "pequena"])
    parser.add_argument("--semente", type=int, default=2026)
    parser.add_argument("--refazer", action="store_true", help="gera o modelo de novo mesmo se ele já existe")
    parser.add_argument("--conferir", action="store_true", help="confere o invariante do dinheiro no fim")
    args = parser.parse_args()
    sys.path.insert(0, str(RAIZ))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigcon.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import bench.dados.bancos as bancos  # antes do django.setup: decide o DATABASE_URL

    os.environ["DATABASE_URL"] = bancos.url_do_banco()
    import django

    django.setup()
    from bench.dados import conferir_invariante, preparar

    inicio = time.perf_counter()
    cenario = preparar(escala=args.escala, semente=args.semente, refazer=args.refazer)
    resumo = {k: cenario[k] for k in ("banco", "modelo", "ano", "hoje", "fim_janela_livre", "gerou_modelo",
                                      "segundos_geracao", "segundos_total", "tamanho_modelo_mb", "contagens")}
    print(json.dumps(resumo, ensure_ascii=False, indent=2))
    print(f"preparar: {time.perf_counter() - inicio:.1f} s")
    if args.conferir:
        inicio = time.perf_counter()
        problemas = conferir_invariante()
        print(f"invariante: {len(problemas)} problema(s) em {time.perf_counter() - inicio:.1f} s")
        for p in problemas[:20]:
            print("  ", p)
        sys.exit(1 if problemas else 0)


if __name__ == "__main__":
    main()
