"""Configuração única, guiada por variáveis de ambiente, segura por padrão.

Sem variável nenhuma: produção (DEBUG desligado), que exige chave e hosts. Com ``DJANGO_DEBUG=1`` (os alvos de
desenvolvimento do Makefile) roda sozinho: SQLite, tarefas Celery na hora e e-mails no console. Com
``DATABASE_URL`` e ``CELERY_BROKER_URL`` usa PostgreSQL e Redis com um worker Celery de verdade.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sigcon.armazenamento import armazenamento_padrao
from sigcon.logs import configuracao_de_logs
from sigcon.tarefas_periodicas import TAREFAS_PERIODICAS

from sigcon.banco import opcoes_postgres, processo_atual

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(nome: str, padrao: bool = False) -> bool:
    valor = os.environ.get(nome)
    if valor is None:
        return padrao
    return valor.strip().lower() in {"1", "true", "sim", "yes", "on"}


# Seguro por padrão: DEBUG só com DJANGO_DEBUG=1 (os alvos de desenvolvimento do Makefile o ligam). Sem DEBUG,
# quem atende (web: gunicorn, runserver; worker: Celery) não sobe sem uma chave secreta de verdade e sem a lista de
# hosts. Um comando de manutenção sem chave (makemigrations --check, check, migrate de um CI) roda com uma chave
# temporária "django-insecure-…", que o check --deploy aponta (W009) e que nada guarda: ela só assinaria o que o
# próprio comando produzisse, e os links de senha são montados pelo worker, com a chave de verdade.
# SIGCON_PROCESSO: web (o gunicorn define), worker (sigcon/celery.py define) ou comando; sem ela, web no
# runserver e comando no resto (manage.py, pytest).
SIGCON_PROCESSO = processo_atual(os.environ, sys.argv)
DEBUG = _env_bool("DJANGO_DEBUG", False)
_ATENDE = SIGCON_PROCESSO in ("web", "worker")
_CHAVE_DE_DESENVOLVIMENTO = "dev-inseguro-troque-em-producao"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY and (DEBUG or not _ATENDE):
    SECRET_KEY = _CHAVE_DE_DESENVOLVIMENTO if DEBUG else "django-insecure-so-deste-comando-" + secrets.token_urlsafe(40)
elif not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith("dev-") or len(set(SECRET_KEY)) < 8):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG está desligado: defina DJANGO_SECRET_KEY com uma chave aleatória de pelo menos 32 caracteres "
        "(ex.: python -c 'import secrets; print(secrets.token_urlsafe(50))'). Para desenvolver, use DJANGO_DEBUG=1."
    )
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "").split(",")
    if h.strip()
]
if not DEBUG and ("*" in ALLOWED_HOSTS or (_ATENDE and not ALLOWED_HOSTS)):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG está desligado: defina DJANGO_ALLOWED_HOSTS com os nomes do site separados por vírgula "
        "(ex.: sigcon.mg.gov.br), sem '*'. Para desenvolver, use DJANGO_DEBUG=1."
    )
# HTTPS em produção sem flag extra: ligado por padrão quando DEBUG está desligado (DJANGO_HTTPS=0 serve HTTP
# puro numa execução local parecida com produção). O proxy reverso informa o esquema em X-Forwarded-Proto.
HTTPS = _env_bool("DJANGO_HTTPS", not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^saude/$"]  # verificação de saúde do balanceador, por HTTP interno
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SEGUNDOS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("DJANGO_HSTS_SUBDOMINIOS", True)
    SECURE_HSTS_PRELOAD = _env_bool("DJANGO_HSTS_PRELOAD", True)

CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    # O admin com o site que audita todo cadastro (auditoria.admin_site).
    "auditoria.apps.AdminAuditadoConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "contas",
    "emendas",
    "convenios",
    "integracoes",
    "notificacoes",
    "relatorios",
    "auditoria",
    "envios",
    "disponibilidade",
    "transparencia",
    "axes",  # depois dos apps do projeto: o template de login é o nosso
]

MIDDLEWARE = [
    # Primeiro: todo log desta requisição, até o de um erro num middleware, leva o id dela.
    "sigcon.requisicao.IdDaRequisicao",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy: ver o bloco logo abaixo da lista
    # Cedo: recusa caracteres de controle e envios grandes demais antes da sessão e das views.
    "sigcon.middleware.RecusaEntradaHostil",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditoria.contexto.AuditoriaMiddleware",
    # O parlamentar em nome de quem o assessor age (?titular=, na sessão): emendas.visibilidade o lê.
    "emendas.assessores.middleware.TitularEscolhido",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Trava esperada demais ou consulta longa demais no banco: 503 com mensagem em português, nunca uma tela parada.
    "sigcon.middleware.TempoLimiteDoBanco",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Sessão deslizante sem gravar a cada requisição, e a volta à mesma página quando ela vence (contas/sessao.py).
    "contas.sessao.RenovaSessao",
    "contas.sessao.LoginAoExpirar",
    # Por último: troca a resposta de uma tentativa bloqueada pela tela de bloqueio (contas.entrada).
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Estáticos com nomes com hash, comprimidos, servidos pelo próprio gunicorn (sem nginx na frente). Com DEBUG quem
    # serve é o runserver (ou o live_server dos testes), direto de static/.
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")

# Content-Security-Policy (django-csp 4.0) e cabeçalhos irmãos. Tudo vem do próprio servidor: sem CDN, sem
# script nem estilo inline (nem atributo style= ou on*=), então um HTML injetado não executa nada. Os
# comportamentos da tela ficam em static/js/sigcon.js; o htmx não injeta o seu <style> (meta htmx-config no
# base.html). data: só em imagens: os ícones SVG do CSS do Bootstrap e o favicon vazio. Teste:
# tests/test_csp_navegador.py (navegador sem violações; nenhum template com script/estilo inline).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_REFERRER_POLICY = "same-origin"  # o endereço (com ?ano=, filtros) não vaza para outros sítios
SECURE_CONTENT_TYPE_NOSNIFF = True

ROOT_URLCONF = "sigcon.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contas.context_processors.perfis",
                "emendas.assessores.context_processors.assessoria",
            ],
            "builtins": ["sigcon.templatetags.dinheiro"],
            # sigcon não é app instalada: a biblioteca das peças comuns (selo, paginação, plural, resumo de erros).
            "libraries": {"sigcon_ui": "sigcon.templatetags.sigcon_ui"},
        },
    },
]

WSGI_APPLICATION = "sigcon.wsgi.application"

# --- Banco: tempos de espera por tipo de processo (PostgreSQL; issue 11) ---
# Nenhuma tela fica pendurada esperando outra pessoa: quem espera uma trava por mais que lock_timeout, ou roda uma
# consulta por mais que statement_timeout, recebe erro (na tela: sigcon.middleware.TempoLimiteDoBanco, 503 com
# mensagem). Em milissegundos, 0 = sem limite; cada valor pode ser trocado por SIGCON_DB_LOCK_TIMEOUT_<PROCESSO>
# e SIGCON_DB_STATEMENT_TIMEOUT_<PROCESSO> (ex.: SIGCON_DB_LOCK_TIMEOUT_WEB=3000).
SIGCON_TEMPOS_DO_BANCO = {
    # processo: (lock_timeout, statement_timeout)
    "web": (5_000, 30_000),  # uma pessoa esperando a tela: poucos segundos por trava
    "worker": (30_000, 600_000),  # tarefas Celery (PDFs grandes, e-mails): ninguém olhando, mas nunca para sempre
    "comando": (60_000, 0),  # migrate, importações pela linha de comando: a carga inteira pode demorar
}
# --- fim Banco ---

if os.environ.get("DATABASE_URL"):
    # Segundos que uma conexão é reaproveitada. No gunicorn (gthread) as threads são fixas, então as conexões também
    # (workers × threads por réplica). O runserver abre uma thread por requisição: lá, reaproveitar deixava uma
    # conexão aberta por thread morta (50 pedidos simultâneos esgotaram o PostgreSQL), daí 0 nele.
    _idade_conexao = int(os.environ.get("DJANGO_CONN_MAX_AGE", "0" if "runserver" in sys.argv else "60"))
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=_idade_conexao)}
    # --- Banco: conexão conferida antes de reusar e tempos de espera (issue 11) ---
    # Uma conexão reaproveitada (conn_max_age) que o PostgreSQL ou a rede derrubou é trocada no início da
    # requisição, em vez de dar erro na primeira consulta.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Na abertura da conexão (libpq "options"), sem nenhuma consulta a mais por requisição; mantém o que a
        # DATABASE_URL já trouxer em ?options=.
        _opcoes_banco = DATABASES["default"].setdefault("OPTIONS", {})
        _opcoes_banco["options"] = " ".join(filter(None, [
            _opcoes_banco.get("options", ""), opcoes_postgres(SIGCON_PROCESSO, os.environ, SIGCON_TEMPOS_DO_BANCO),
        ]))
    # --- fim Banco ---
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # IMMEDIATE: a escrita pega o lock na abertura da transação, então duas
            # requisições concorrentes esperam em vez de falhar com "database is locked".
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

AUTH_USER_MODEL = "contas.Usuario"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# O backend do axes vem primeiro: recusa a tentativa de uma conta+IP bloqueada antes de conferir a senha.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inicio"
LOGOUT_REDIRECT_URL = "login"

# --- Sessão (issue 11): um dia de trabalho, contado desde o último uso ---
# A sessão vence SIGCON_SESSAO_HORAS (9) horas depois da última requisição. SESSION_SAVE_EVERY_REQUEST
# faria isso gravando a sessão no banco a cada requisição; contas.sessao.RenovaSessao renova no máximo a
# cada 5 minutos (a sessão vence entre 8 h 55 e 9 h depois do último uso). Quando ela vence, a pessoa volta
# à página onde estava depois de entrar de novo (contas.sessao.LoginAoExpirar, também no htmx e no POST).
SESSION_COOKIE_AGE = int(float(os.environ.get("SIGCON_SESSAO_HORAS", "9")) * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
# --- fim Sessão ---

LANGUAGE_CODE = "pt-br"
# Só português: o sistema não troca de idioma pelo navegador do usuário.
LANGUAGES = [("pt-br", "Português (Brasil)")]
TIME_ZONE = "America/Sao_Paulo"
USE_I18N = True
USE_TZ = True

# Cache compartilhado por todas as réplicas (guarda os limites de pedidos de senha): Redis quando
# houver (REDIS_URL, ou o broker do Celery se for Redis); senão a tabela de cache no próprio banco,
# criada a cada migrate (contas.apps). Nunca o cache local da memória, que cada processo teria o seu.
_REDIS_CACHE = os.environ.get("REDIS_URL") or (
    os.environ.get("CELERY_BROKER_URL", "") if os.environ.get("CELERY_BROKER_URL", "").startswith("redis") else ""
)
if _REDIS_CACHE:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _REDIS_CACHE,
            # Um Redis pode servir mais de uma instalação: cada banco tem as suas chaves.
            "KEY_PREFIX": os.environ.get("SIGCON_CACHE_PREFIXO", f"sigcon-{DATABASES['default'].get('NAME', '')}"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sigcon_cache"}}

# Tentativas de entrada (django-axes, estado no banco: vale para todas as réplicas). Conta + IP ficam
# bloqueados por AXES_COOLOFF_TIME depois de AXES_FAILURE_LIMIT senhas erradas seguidas; vale também
# para o login do admin, que passa pelo mesmo authenticate().
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("SIGCON_LOGIN_TENTATIVAS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGCON_LOGIN_BLOQUEIO_MINUTOS", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # o AuthenticationForm chama authenticate(username=<e-mail>)
AXES_USERNAME_CALLABLE = "contas.entrada.email_da_tentativa"
AXES_CLIENT_IP_CALLABLE = "contas.entrada.ip_do_cliente"
AXES_LOCKOUT_CALLABLE = "contas.entrada.resposta_de_bloqueio"
# Quantos proxies reversos (nginx, balanceador) ficam na frente do Django: o IP do cliente é o que o
# mais externo deles acrescentou ao X-Forwarded-For. 0 = REMOTE_ADDR (sem proxy; o cabeçalho é ignorado).
SIGCON_PROXIES_REVERSOS = int(os.environ.get("SIGCON_PROXIES_REVERSOS", "0"))
# Pedidos de link de senha ("esqueci minha senha"), por janela de uma hora.
SIGCON_SENHA_PEDIDOS_POR_EMAIL = int(os.environ.get("SIGCON_SENHA_PEDIDOS_POR_EMAIL", "3"))
SIGCON_SENHA_PEDIDOS_POR_IP = int(os.environ.get("SIGCON_SENHA_PEDIDOS_POR_IP", "10"))

# Transparência (páginas e dados abertos sem login, transparencia/protecao.py): pedidos por IP e por minuto
# (contados no cache compartilhado acima, nunca na memória do processo) e o teto, em segundos, de uma leitura
# guardada no cache (a versão dos dados já a renova a cada mudança auditada).
SIGCON_TRANSPARENCIA_LIMITES = {
    "paginas": int(os.environ.get("SIGCON_TRANSPARENCIA_PEDIDOS_POR_MINUTO", "120")),
    "arquivos": int(os.environ.get("SIGCON_DADOS_ABERTOS_PEDIDOS_POR_MINUTO", "20")),
}
SIGCON_TRANSPARENCIA_CACHE_SEGUNDOS = int(os.environ.get("SIGCON_TRANSPARENCIA_CACHE_SEGUNDOS", "600"))

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")

STORAGES = {
    "default": armazenamento_padrao(os.environ),
    # Sem DEBUG: nomes com hash do conteúdo (cache de 1 ano no navegador) e versões .gz/.br, feitos pelo
    # collectstatic (``make serve``, imagem). Com DEBUG (desenvolvimento e testes) os arquivos saem direto de static/.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Arquivos de importação: até 5 MB (o limite aparece na tela). Entre a prévia e a confirmação o arquivo
# fica no servidor (emendas.arquivos_importacao); a confirmação manda só o id. O maior corpo legítimo é
# então o envio do arquivo (multipart: o arquivo mais os campos do formulário e as fronteiras, poucos KB),
# daí o limite do corpo = arquivo + 64 KB; um corpo maior é recusado pelo Content-Length, antes de ser lido
# (sigcon.middleware). Um arquivo entre 5 MB e o limite do corpo passa pela porta e é recusado pelo
# formulário, com o tamanho na mensagem.
SIGCON_UPLOAD_MAXIMO = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = SIGCON_UPLOAD_MAXIMO + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = SIGCON_UPLOAD_MAXIMO

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console por padrão; SMTP quando EMAIL_HOST estiver definido.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Segundos por operação do SMTP (conectar, cada resposta): um servidor que aceita a conexão e não responde
# não prende o worker. Sem isto o smtplib espera para sempre.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# Minutos que um e-mail reservado por um worker (ENVIANDO) fica intocado antes de a tarefa periódica
# supor que esse worker caiu e reenviá-lo. Bem maior que o pior envio (EMAIL_TIMEOUT por operação).
SIGCON_EMAIL_RESERVA_MINUTOS = int(os.environ.get("SIGCON_EMAIL_RESERVA_MINUTOS", "15"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SIGCON Saída <nao-responda@sigcon.mg.gov.br>")
SIGCON_EMAIL_SEGOV = os.environ.get("SIGCON_EMAIL_SEGOV", "emendas@segov.mg.gov.br")
# Lembretes de prazo (emendas/calendario/lembretes.py): N dias antes de uma janela fechar (e sempre 1 dia antes), e o
# nível de serviço da fila do órgão (dias esperando a análise); a SEGOV vê a disponibilidade dos últimos dias.
SIGCON_LEMBRETE_DIAS_ANTES = int(os.environ.get("SIGCON_LEMBRETE_DIAS_ANTES", "7"))
SIGCON_SLA_ORGAO_DIAS = int(os.environ.get("SIGCON_SLA_ORGAO_DIAS", "5"))
SIGCON_DIAS_FINAIS_DA_JANELA = int(os.environ.get("SIGCON_DIAS_FINAIS_DA_JANELA", "5"))

# Celery: sem broker as tarefas rodam na hora (modo de desenvolvimento).
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://localhost/"
# Na hora (desenvolvimento, testes), o erro de uma tarefa sobe para quem a chamou em vez de ficar guardado
# num resultado que ninguém lê. Com broker a opção não tem efeito.
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# As tarefas periódicas (Celery beat), uma linha cada: sigcon/tarefas_periodicas.py.
CELERY_BEAT_SCHEDULE = TAREFAS_PERIODICAS

# Logs no stdout. Sem DEBUG (ou com SIGCON_LOG_FORMATO=json): uma linha JSON por registro, com id da requisição,
# usuário e, nos erros, a pilha (sigcon.logs.FormatoJSON). Nenhuma linha leva o token de um link de senha.
_LOG_JSON = os.environ.get("SIGCON_LOG_FORMATO", "texto" if DEBUG else "json") == "json"
LOGGING = configuracao_de_logs(json=_LOG_JSON, nivel=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"))

# O worker Celery escreve pelo mesmo LOGGING (JSON em produção) em vez de trocar o logger raiz pelo formato dele.
CELERY_WORKER_HIJACK_ROOT_LOGGER = not _LOG_JSON

# Endereço público do sistema, usado nos links dos e-mails.
SIGCON_URL_BASE = os.environ.get("SIGCON_URL_BASE", "http://127.0.0.1:8000")

# Integrações: CAGEC (regularidade do convenente) e SIAFI-MG (bloqueio para pagamentos).
# Cada sistema aponta para a classe que o atende: a simulada (padrão, editável pelo admin) ou
# a HTTP real — ex.: INTEGRACAO_CAGEC=integracoes.cagec.CagecHttp com CAGEC_URL e CAGEC_TOKEN.
INTEGRACOES = {
    "CAGEC": os.environ.get("INTEGRACAO_CAGEC", "integracoes.cagec.CagecSimulado"),
    "SIAFI": os.environ.get("INTEGRACAO_SIAFI", "integracoes.siafi.SiafiSimulado"),
}
CAGEC_URL = os.environ.get("CAGEC_URL", "")
CAGEC_TOKEN = os.environ.get("CAGEC_TOKEN", "")
SIAFI_URL = os.environ.get("SIAFI_URL", "")
SIAFI_TOKEN = os.environ.get("SIAFI_TOKEN", "")
# Segundos. Pior caso por consulta: TENTATIVAS × (CONEXAO + LEITURA) + esperas do backoff.
INTEGRACOES_TIMEOUT_CONEXAO = float(os.environ.get("INTEGRACOES_TIMEOUT_CONEXAO", "2"))
INTEGRACOES_TIMEOUT_LEITURA = float(os.environ.get("INTEGRACOES_TIMEOUT_LEITURA", "5"))
INTEGRACOES_TENTATIVAS = int(os.environ.get("INTEGRACOES_TENTATIVAS", "3"))
INTEGRACOES_BACKOFF = float(os.environ.get("INTEGRACOES_BACKOFF", "0.5"))  # espera base; dobra a cada tentativa
# Disjuntor por sistema: tantas consultas seguidas com falha abrem o circuito por tantos segundos.
INTEGRACOES_CIRCUITO_FALHAS = int(os.environ.get("INTEGRACOES_CIRCUITO_FALHAS", "5"))
INTEGRACOES_CIRCUITO_SEGUNDOS = float(os.environ.get("INTEGRACOES_CIRCUITO_SEGUNDOS", "30"))
