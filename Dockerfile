# Imagem de produção do SIGCON Saída: gunicorn + whitenoise, usuário sem privilégios, estáticos prontos.
#   docker build -t sigcon-saida .
#   docker compose --env-file sigcon.env up -d      (docker-compose.yml; variáveis em deploy/producao.env.exemplo)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media

WORKDIR /app

# Os mesmos pacotes do Debian que o CI instala (uma lista só: deploy/pacotes-apt.sh).
COPY deploy/pacotes-apt.sh /tmp/pacotes-apt.sh
RUN bash /tmp/pacotes-apt.sh execucao && rm -rf /var/lib/apt/lists/* /tmp/pacotes-apt.sh

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Estáticos com hash e comprimidos já na imagem. O collectstatic é um comando: sem chave ele usa uma temporária, que
# não fica na imagem (quem atende, o gunicorn e o Celery, exige a de verdade, vinda do arquivo de ambiente).
RUN python manage.py collectstatic --noinput --verbosity 0

# Usuário sem privilégios; só os arquivos enviados (media) são graváveis.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin sigcon \
    && mkdir -p /app/media && chown sigcon /app/media
USER sigcon

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-m", "sigcon.verificar_saude"]
CMD ["gunicorn", "-c", "sigcon/gunicorn.conf.py"]
