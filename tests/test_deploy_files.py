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
SETTINGS_MODULES = [SETTINGS, *(SETTINGS.parent / name for name in ("operations.py", "queues.py", "beat.py"))]
COMPOSE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERIGNORE = REPO / ".dockerignore"

APP_SERVICES = ("web", "worker", "beat")
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


@pytest.mark.parametrize("name", ["postgres", "redis", *APP_SERVICES])
def test_compose_has_service(name):
    """Each service of the stack (postgres, redis, web, worker, beat) is defined."""
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
    targets = [str(volume).split(":")[1] for volume in services()["postgres"].get("volumes", [])]
    assert "/var/lib/postgresql" in targets


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


def test_web_runs_gunicorn_and_publishes_port_8000():
    """web runs gunicorn with marketplace.wsgi (its own command, or the image's) and publishes port 8000."""
    web = services()["web"]
    tokens = command_tokens(web.get("command")) or dockerfile_cmd()
    assert tokens[0] == "gunicorn"
    assert any(token.split(":")[0] == "marketplace.wsgi" for token in tokens)
    assert any(str(port).rsplit(":", 1)[-1] == "8000" for port in web.get("ports", []))


def test_web_healthcheck_asks_the_liveness_endpoint():
    """web's container healthcheck requests /healthz (liveness), not /readyz: a worker or Redis
    that is down leaves the web container serving, degraded, and so healthy."""
    check = " ".join(command_tokens(services()["web"].get("healthcheck", {}).get("test")))
    assert "http://127.0.0.1:8000/healthz" in check
    assert "/readyz" not in check


def test_worker_runs_celery_worker():
    """worker's command runs `celery -A marketplace worker`."""
    assert "celery -A marketplace worker" in " ".join(command_tokens(services()["worker"].get("command")))


def test_beat_runs_celery_beat():
    """beat's command runs `celery -A marketplace beat`."""
    assert "celery -A marketplace beat" in " ".join(command_tokens(services()["beat"].get("command")))


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_postgres_and_redis(name):
    """web, worker and beat start only once postgres and redis report healthy."""
    deps = depends_on(services()[name])
    for backing in ("postgres", "redis"):
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
    """web, worker and beat get exactly the same environment (one x-app anchor)."""
    environments = [environment(services()[name]) for name in APP_SERVICES]
    assert environments[0]
    assert all(env == environments[0] for env in environments)


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


def test_media_root_is_a_shared_named_volume():
    """DJANGO_MEDIA_ROOT is on one named volume that web and worker both mount (uploads, thumbnails)."""
    data = compose()
    media_root = environment(data["services"]["web"]).get("DJANGO_MEDIA_ROOT")
    assert media_root

    def volume_at(service: dict) -> str | None:
        for volume in service.get("volumes", []):
            source, _, target = str(volume).partition(":")
            if target.split(":")[0] == media_root:
                return source
        return None

    sources = {volume_at(data["services"][name]) for name in ("web", "worker")}
    assert len(sources) == 1
    source = sources.pop()
    assert source in (data.get("volumes") or {}), "the media volume is not a named volume"


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
