"""The one typed settings object of fonds.

Values come, highest priority first, from environment variables (`FONDS_*`, plus the
conventional `DATABASE_URL` and `SECRET_KEY`), then from `fonds.toml` in the archive home,
then from the defaults below. Every limit and option of the program is a field here.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

CONFIG_FILE = "fonds.toml"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
HSTS_YEAR = 31_536_000
# Pages load their scripts, styles and images from this site only; nothing may frame them.
DEFAULT_CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
               "form-action 'self'; frame-ancestors 'none'")


def default_home() -> Path:
    return Path(os.environ.get("FONDS_HOME", "fonds-data"))


class Settings(BaseSettings):
    """Settings of one archive home."""

    model_config = SettingsConfigDict(env_prefix="FONDS_", extra="ignore")

    home: Path = Field(default_factory=default_home, description="Archive home: catalog, index and media.")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FONDS_DATABASE_URL", "DATABASE_URL", "database_url"),
        description="PostgreSQL URL (postgres://user@host:port/db); unset means SQLite in the home.",
    )
    secret_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FONDS_SECRET_KEY", "SECRET_KEY", "secret_key"),
        description="Django secret key; unset means one generated and kept in the home.",
    )
    debug: bool = Field(default=False, description="Django debug pages. Never in production.")
    allowed_hosts: list[str] = Field(
        default=[],
        description="Host names the web server answers to; empty: site_url's host, else loopback names only "
                    "(localhost, 127.0.0.1, ::1). A request naming another host is refused (400).")
    site_url: str | None = Field(
        default=None, pattern=r"^https?://[^/?#\s]+/?$",
        description="The archive's public address (https://archive.example.org): API URLs, OAI identifiers, "
                    "feeds and canonical links use it, never the request's Host header. Required outside the demo.")
    production: bool = Field(default=False, description="Production mode: HSTS, secure cookies and the CSP on by default.")
    hsts_seconds: int | None = Field(
        default=None, ge=0, description="Strict-Transport-Security max-age; unset: one year in production, off otherwise.")
    secure_cookies: bool | None = Field(
        default=None, description="Session and CSRF cookies only over HTTPS; unset: on in production.")
    proxy_tls_header: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9-]+$",
        description="Header a TLS-terminating proxy sets to 'https' (X-Forwarded-Proto); unset: none trusted.")
    content_security_policy: str | None = Field(
        default=None, description="Content-Security-Policy header; unset: the strict default in production, none "
                                  "otherwise; empty: none.")
    ingest_status: Literal["draft", "review", "published"] = Field(
        default="draft", description="Status of a new document whose file states none (`fonds demo` uses published).")
    link_threshold: float = Field(
        default=0.7, ge=0, le=1,
        description="Links an enricher made with a confidence below this wait in the curator queue (staff side) and are "
                    "shown, counted and exported nowhere public until a curator accepts them; 0 publishes every link.")
    site_name: str = Field(default="fonds", description="Name shown in the page header.")
    host: str = Field(default="127.0.0.1", description="Address `fonds serve` listens on.")
    port: int = Field(default=8000, description="Port `fonds serve` listens on.")
    workers: int = Field(default=2, ge=1, description="Web worker processes of `fonds serve`.")
    page_size: int = Field(default=20, ge=1, le=500, description="Documents per page in lists.")
    recent_documents: int = Field(default=20, ge=1, le=500, description="Documents on the home page.")
    browse_page_size: int = Field(default=200, ge=1, le=5000, description="Names per page of a browsing index (people, places...).")
    companions: int = Field(default=12, ge=0, le=200, description="People an entity page lists as most often named with it.")
    similar_documents: int = Field(default=5, ge=0, le=50, description='"More like this" documents on a document page.')
    explore_documents: int = Field(default=2000, ge=1, le=100000,
                                   description="Most documents of a search that its correspondence network reads.")
    sqlite_timeout: float = Field(default=30.0, ge=0, description="Seconds SQLite waits for a lock.")
    oai_page_size: int = Field(default=100, ge=1, le=1000, description="Records or headers per OAI-PMH list response.")
    oai_token_hours: int = Field(default=24, ge=1, description="Hours an OAI-PMH resumptionToken stays valid.")
    oai_repository_identifier: str | None = Field(
        default=None,
        description="Repository id in OAI identifiers (oai:<this>:<document id>); unset: the request's host name.")
    oai_repository_name: str | None = Field(default=None,
                                            description="repositoryName of OAI-PMH Identify; unset: site_name.")
    admin_email: str = Field(default="archive@example.org", pattern=r"^\S+@(\S+\.)+\S+$",
                             description="Administrator address, shown by OAI-PMH Identify.")
    harvest_timeout: float = Field(default=60.0, gt=0,
                                   description="Seconds `fonds harvest` waits for a remote response.")
    ocr_languages: str = Field(default="eng+rus", pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$",
                               description="Tesseract languages for OCR of scans, joined by '+'.")
    ocr_dpi: int = Field(default=300, ge=72, le=1200, description="Resolution PDF pages are rendered at for OCR.")
    ocr_page_timeout: float = Field(default=300.0, gt=0, description="Seconds Tesseract may spend on one page.")
    api_max_limit: int = Field(default=100, ge=1, le=1000, description="Most items one REST API list page returns.")
    api_cache_seconds: int = Field(default=300, ge=0, description="Cache-Control max-age of public REST API reads.")
    feed_items: int = Field(default=50, ge=1, le=1000, description="Entries in one Atom feed.")
    citation_cache_seconds: int = Field(default=86400, ge=0,
                                        description="How long a document's rendered citations stay cached (0: not cached). "
                                                    "The key is the CSL item without its access day (written in on each view), so a "
                                                    "changed record renders afresh; shared through Redis when redis_url is set.")
    citation_export_limit: int = Field(default=500, ge=1, le=10000,
                                       description="Most documents one search-results export (BibTeX, RIS, CSL-JSON) holds.")
    sitemap_limit: int = Field(default=10000, ge=1, le=50000, description="URLs per sitemap page (the protocol allows 50,000).")
    iiif_sizes: list[int] = Field(default=[150, 600, 1200], description="Widths of the fixed IIIF image sizes besides max.")
    iiif_jpeg_quality: int = Field(default=90, ge=1, le=100, description="JPEG quality of IIIF images made from other formats.")
    # Limits on what one input file may make a reader do; a file over a limit fails with a message
    # naming the limit, and the other files of the ingest go on.
    max_nesting: int = Field(default=100, ge=8, le=400,
                             description="Deepest nesting of XML elements, JSON arrays/objects and YAML front matter in an input file.")
    max_line_bytes: int = Field(default=8 << 20, ge=1024, description="Longest line of a JSON Lines file, in bytes.")
    max_sheet_rows: int = Field(default=20000, ge=1, description="Most rows one metadata sheet (CSV, TSV, XLSX) may have.")
    max_image_pixels: int = Field(default=100_000_000, ge=1_000_000,
                                  description="Most pixels of one page image, as decoded or as a PDF page rendered at ocr_dpi.")
    ocr_file_timeout: float = Field(default=3600.0, gt=0, description="Seconds Tesseract may spend on all the pages of one file.")
    # Staff accounts.
    password_min_length: int = Field(default=12, ge=8, description="Shortest password a staff account may have.")
    login_failure_limit: int = Field(default=5, ge=1,
                                     description="Failed sign-ins of one user name (or from one address) before it is locked out.")
    login_lockout_minutes: int = Field(default=15, ge=1, description="Minutes a locked-out user name or address waits.")
    redis_url: str | None = Field(default=None,
                                  description="redis://host:port/db for login throttling shared by every web node; unset: the catalog database.")
    page_cache_seconds: int = Field(
        default=60, ge=0, description="Cache-Control max-age of public pages (what a visitor not signed in sees); "
                                      "0: never kept.")
    page_store_mb: int = Field(
        default=64, ge=0, description="Memory (MB) each web process keeps public pages in, answered again without "
                                      "rendering until the catalog or the node's index changes; 0: none kept.")
    log_format: Literal["json", "text"] = Field(
        default="json", description="Logs as one JSON object a line (request method, path, status, ms) or as text.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="Least level logged.")
    # Background jobs (ingest, enrichment, reindex, export) on Celery workers.
    broker_url: str | None = Field(
        default=None, description="redis://host:port/db of the Celery broker for jobs; unset: jobs run in the "
                                  "calling process (`fonds worker` needs it).")
    job_retries: int = Field(default=3, ge=0, le=20, description="Times a failing job is tried again before it is failed.")
    job_retry_delay: float = Field(default=10.0, ge=0,
                                   description="Seconds before a failed job's first retry; each further retry waits twice as long.")
    job_visibility_timeout: int = Field(
        default=3600, ge=1, description="Seconds after which a job whose worker vanished (killed, machine lost) is handed "
                                        "to another worker; longer than the longest job.")
    worker_concurrency: int = Field(default=2, ge=1, description="Job processes of one `fonds worker`.")
    api_token_days: int = Field(default=90, ge=0, description="Days a new API token stays valid (0: until revoked).")
    ingest_index_alongside: int = Field(
        default=20, ge=1,
        description="Files a `fonds ingest` must have for the search index to be brought up to date alongside it, by a "
                    "process of its own following the change log, rather than after it.")
    ingest_index_interval: float = Field(
        default=3.0, gt=0, le=60,
        description="Seconds between two rounds of that indexing process. Each round commits a tantivy segment, and "
                    "tantivy merges segments again and again as they come: rounds every 0.2 s cost the 99 FRUS "
                    "volumes 35 s more CPU than rounds every 3 to 5 s.")
    analyze_after: int = Field(
        default=1000, ge=1,
        description="Documents one ingest must write before it refreshes the catalog's planner statistics (ANALYZE).")
    # Several web nodes: each keeps its own search index, current from the catalog's change log.
    index_dir: Path | None = Field(
        default=None, description="This node's search index folder; unset: `index` in the home. Each web node needs "
                                  "its own (one process may write a tantivy index at a time).")
    search_wait: float = Field(
        default=1.0, ge=0, le=30,
        description="Most seconds a search waits for this node's index to reach the catalog's latest change; then it "
                    "answers from the index it has and says how far behind it is.")
    search_cache_size: int = Field(
        default=500, ge=0, le=100000,
        description="Search answers each web process keeps (0: none), keyed by the request and the state of the index "
                    "and the catalog, so a repeated search (the same words, the next click back) is not run again.")
    counts_wait: float = Field(
        default=0.05, ge=0, le=30,
        description="Most seconds the search page waits for its facet counts and histogram once its hits are ready; "
                    "past that it goes out without them, and a script fills them in when they are counted.")
    follow_interval: float = Field(
        default=0.2, gt=0, le=60, description="Seconds between two looks at the change log by a node's index follower.")

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource):
        # fonds.toml lives in the home, so the home must be known before the file is read.
        home = Path(init_settings.init_kwargs.get("home") or default_home())
        toml = TomlConfigSettingsSource(settings_cls, toml_file=home / CONFIG_FILE)
        return init_settings, env_settings, toml

    @model_validator(mode="after")
    def _index_in_home(self) -> Settings:
        if self.index_dir is None:
            self.index_dir = self.home / "index"
        return self

    @property
    def hosts(self) -> list[str]:
        """The host names served (ALLOWED_HOSTS)."""
        if self.allowed_hosts:
            return self.allowed_hosts
        if self.site_url:
            return [urlsplit(self.site_url).hostname or ""]
        return list(LOOPBACK_HOSTS)

    @property
    def hsts(self) -> int:
        return self.hsts_seconds if self.hsts_seconds is not None else (HSTS_YEAR if self.production else 0)

    @property
    def cookies_secure(self) -> bool:
        return self.secure_cookies if self.secure_cookies is not None else self.production

    @property
    def csp(self) -> str:
        if self.content_security_policy is not None:
            return self.content_security_policy
        return DEFAULT_CSP if self.production else ""

    def insecure(self) -> list[str]:
        """A warning for each setting that is unsafe on a public server (`fonds check` prints them)."""
        warnings = []
        if self.debug:
            warnings.append("debug is on: error pages show code and settings to anyone (FONDS_DEBUG=false)")
        if not self.site_url:
            warnings.append("site_url is not set: only loopback host names are served, and absolute URLs follow the "
                            "request (set FONDS_SITE_URL=https://your.archive)")
        elif not self.site_url.startswith("https://"):
            warnings.append(f"site_url {self.site_url} is not https: readers' sessions and API tokens travel in clear")
        if "*" in self.allowed_hosts or any(host.startswith(".") for host in self.allowed_hosts):
            warnings.append("allowed_hosts accepts any host name: a forged Host header is answered")
        if not self.production:
            warnings.append("production is off: HSTS, secure cookies and the Content-Security-Policy default to off")
        if not self.hsts:
            warnings.append("hsts_seconds is 0: browsers are not told to use HTTPS only")
        if not self.cookies_secure:
            warnings.append("secure_cookies is off: session and CSRF cookies are also sent over plain HTTP")
        if not self.csp:
            warnings.append("content_security_policy is empty: pages send no Content-Security-Policy")
        return warnings

    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.sqlite3"

    @property
    def media_dir(self) -> Path:
        return self.home / "media"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and stored in the home."""
        if self.secret_key:
            return self.secret_key
        key_file = self.home / ".secret_key"
        if not key_file.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        return key_file.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of the current process (home from FONDS_HOME or the default)."""
    return Settings()
