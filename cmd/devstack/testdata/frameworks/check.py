"""Connect to devstack's services the way each framework does, from what devstack printed.

    check.py invenio ENVFILE   the .env devstack wrote, loaded as pipenv loads it
                               (python-dotenv), then read as invenio-config reads it
    check.py celery ENVFILE    CELERY_BROKER_URL and CELERY_RESULT_BACKEND, as Celery reads them
    check.py frappe JSONFILE   what devstack env --format frappe printed, as bench's
                               common_site_config.json

Each connects with the framework's own client library (SQLAlchemy+psycopg2, redis-py,
kombu, boto3, PyMySQL) and does real work; any failure exits 1 with what failed. It
prints one JSON object of what it saw.
"""

import json
import os
import sys
import types
import urllib.request

import dotenv

seen = {}


def fail(msg):
    print(json.dumps(seen, indent=2))
    sys.exit("FAIL: " + msg)


def need_str(config, key):
    value = config.get(key)
    if not isinstance(value, str):
        fail("%s read as %s, not a string" % (key, type(value).__name__))
    return value


def redis_dbs(urls):
    """Every URL answers, each on a database of its own: a key set through one is not
    seen through another."""
    import redis

    clients = {}
    for name, url in urls.items():
        c = redis.Redis.from_url(url)
        if not c.ping():
            fail("redis %s: no PONG" % name)
        c.set("devstack-e2e:" + name, name)
        clients[name] = c
    dbs = {name: c.connection_pool.connection_kwargs.get("db", 0) for name, c in clients.items()}
    seen["redis_dbs"] = dbs
    if len(set(dbs.values())) != len(dbs):
        fail("redis: two uses share a database: %s" % dbs)
    for name, c in clients.items():
        for other in clients:
            got = c.get("devstack-e2e:" + other)
            if (got is not None) != (dbs[other] == dbs[name]):
                fail("redis %s sees %s's key: %r (databases %s)" % (name, other, got, dbs))


def kombu_roundtrip(url, queue):
    """A message through the broker: kombu, Celery's transport."""
    from kombu import Connection

    with Connection(url, connect_timeout=10) as conn:
        conn.ensure_connection(max_retries=3)
        q = conn.SimpleQueue(queue)
        q.put({"hello": queue})
        msg = q.get(block=True, timeout=10)
        msg.ack()
        q.close()
        if msg.payload != {"hello": queue}:
            fail("kombu %s: payload %r" % (queue, msg.payload))
    seen["broker_" + queue] = url.split("://")[0]


def invenio(envfile):
    from sqlalchemy import create_engine, text

    from invenio_config_env import InvenioConfigEnvironment

    dotenv.load_dotenv(envfile, override=True)
    app = types.SimpleNamespace(config={})
    InvenioConfigEnvironment(app=app, prefix="INVENIO_")
    config = app.config
    seen["keys"] = sorted(config)

    uri = need_str(config, "SQLALCHEMY_DATABASE_URI")
    with create_engine(uri).connect() as conn:
        if conn.execute(text("SELECT 1")).scalar() != 1:
            fail("SQLAlchemy: SELECT 1")
    seen["sqlalchemy"] = uri.split("://")[0]

    redis_dbs({key: need_str(config, key) for key in (
        "CACHE_REDIS_URL", "ACCOUNTS_SESSION_REDIS_URL", "CELERY_RESULT_BACKEND",
        "RATELIMIT_STORAGE_URI", "COMMUNITIES_IDENTITIES_CACHE_REDIS_URL")})

    broker = need_str(config, "CELERY_BROKER_URL")
    if need_str(config, "BROKER_URL") != broker:
        fail("BROKER_URL and CELERY_BROKER_URL differ")
    kombu_roundtrip(broker, "invenio-e2e")

    import boto3
    from botocore.config import Config

    s3 = boto3.client(
        "s3",
        endpoint_url=need_str(config, "S3_ENDPOINT_URL"),
        aws_access_key_id=need_str(config, "S3_ACCESS_KEY_ID"),
        aws_secret_access_key=need_str(config, "S3_SECRET_ACCESS_KEY"),
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
    )
    s3.create_bucket(Bucket="invenio-e2e")
    s3.put_object(Bucket="invenio-e2e", Key="record.txt", Body=b"files")
    if s3.get_object(Bucket="invenio-e2e", Key="record.txt")["Body"].read() != b"files":
        fail("boto3: object read back differs")
    seen["s3_buckets"] = sorted(b["Name"] for b in s3.list_buckets()["Buckets"])

    hosts = config.get("SEARCH_HOSTS")
    if not isinstance(hosts, list) or not hosts or not isinstance(hosts[0], str):
        fail("SEARCH_HOSTS read as %r, not a list of hosts" % (hosts,))
    host = hosts[0] if "://" in hosts[0] else "http://" + hosts[0]  # opensearch-py's default scheme
    with urllib.request.urlopen(host + "/_cluster/health", timeout=10) as resp:
        health = json.load(resp)
    if health.get("status") not in ("green", "yellow"):
        fail("search health %r" % health)
    seen["search_health"] = health.get("status")


def celery(envfile):
    import redis

    values = dotenv.dotenv_values(envfile)
    for key in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        if not values.get(key):
            fail("%s is not in %s" % (key, envfile))
    kombu_roundtrip(values["CELERY_BROKER_URL"], "celery-e2e")
    backend = redis.Redis.from_url(values["CELERY_RESULT_BACKEND"])
    backend.set("celery-task-meta-e2e", "SUCCESS")
    if backend.get("celery-task-meta-e2e") != b"SUCCESS":
        fail("result backend: read back differs")
    seen["broker"] = values["CELERY_BROKER_URL"].split("://")[0]
    seen["backend_db"] = backend.connection_pool.connection_kwargs.get("db", 0)


def frappe(jsonfile):
    import pymysql
    import redis

    with open(jsonfile) as f:
        conf = json.load(f)
    seen["keys"] = sorted(conf)
    if not isinstance(conf.get("db_port"), int):
        fail("db_port is %r, not a number" % (conf.get("db_port"),))
    # Frappe's own driver, connected as bench new-site connects: root, from the file.
    db = pymysql.connect(host=conf["db_host"], port=conf["db_port"], user=conf["root_login"],
                         password=conf["root_password"], connect_timeout=10)
    with db.cursor() as cur:
        cur.execute("SELECT 1")
        if cur.fetchone()[0] != 1:
            fail("MariaDB: SELECT 1")
        cur.execute("SELECT @@character_set_server, @@collation_server")
        seen["server_charset"] = list(cur.fetchone())
    db.close()
    redis_dbs({key: conf[key] for key in ("redis_cache", "redis_queue")})
    if not redis.Redis.from_url(conf["redis_socketio"]).ping():
        fail("redis_socketio: no PONG")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    {"invenio": invenio, "celery": celery, "frappe": frappe}[sys.argv[1]](sys.argv[2])
    print(json.dumps(seen, indent=2, default=str))
