import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# A web process encodes one short search query per request, and the server
# runs several processes side by side: the sentence encoder's OpenMP threads
# (one per core in every process, spinning while they wait) fought each other
# for the cores, so a search held its worker for seconds and every page waited
# behind it (bench/load.py: 3 gunicorn workers on 2 cores served 2.6
# requests/s). One thread each; an operator may still set OMP_NUM_THREADS.
os.environ.setdefault("OMP_NUM_THREADS", "1")

application = get_wsgi_application()
