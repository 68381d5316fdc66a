"""Servidor de produção: ``gunicorn -c sigcon/gunicorn.conf.py sigcon.wsgi`` (o ``make serve`` e a imagem usam este).

Cada variável abaixo pode ser trocada pelo ambiente (``GUNICORN_WORKERS``, ``GUNICORN_THREADS``...). O número
de conexões que uma réplica abre no PostgreSQL é no máximo ``workers × threads`` (uma por thread, reaproveitada
por ``DJANGO_CONN_MAX_AGE``): some isso por réplica mais o ``--concurrency`` dos workers Celery e deixe abaixo do
``max_connections`` do banco.
"""

import multiprocessing
import os

# Lido pelas configurações do Django (lock_timeout e statement_timeout curtos de quem atende requisição).
os.environ["SIGCON_PROCESSO"] = "web"

wsgi_app = "sigcon.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# gthread: poucos processos com algumas threads cada. Uma requisição lenta (PDF, CSV grande) prende uma
# thread, não o processo inteiro; e as threads são fixas, então as conexões com o banco também são.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Tempos explícitos. Uma thread parada por mais que ``timeout`` faz o mestre reiniciar o processo. As consultas
# da web já param antes (statement_timeout de 30 s); o limite aqui é a rede de segurança.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Reinicia cada processo depois de tantas requisições (com variação, para não reiniciarem juntos): um vazamento
# lento de memória de uma biblioteca nunca derruba o servidor.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# O arquivo de batimento dos processos em memória (num contêiner, /tmp pode ser um disco lento ou só leitura).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
# Sem o soquete de controle do gunicorn (não usado; escreveria em $HOME, que o usuário da imagem não tem).
control_socket_disable = True

# Quem pode dizer o esquema (X-Forwarded-Proto) e o IP do cliente: o proxy reverso. Padrão: só a própria máquina.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Log de acesso em JSON, uma linha por requisição, no stdout; caminhos com token mascarados (sigcon/logs.py).
# O tempo (D) é em microssegundos; o id da requisição é o mesmo dos logs da aplicação (cabeçalho X-Request-ID).
accesslog = "-" if os.environ.get("GUNICORN_ACCESSLOG", "1") != "0" else None
access_log_format = (
    '{"metodo": "%(m)s", "caminho": "%(U)s", "consulta": "%(q)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duracao_us": %(D)s, "ip": "%(h)s", "id_requisicao": "%({x-request-id}o)s", "agente": "%(a)s"}'
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mascarar_tokens": {"()": "sigcon.logs.MascararTokens"}},
    "formatters": {"json": {"()": "sigcon.logs.FormatoJSON"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json",
                   "filters": ["mascarar_tokens"]},
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
