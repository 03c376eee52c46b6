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

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

CONFIG_FILE = "fonds.toml"


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
    allowed_hosts: list[str] = Field(default=["*"], description="Host names the web server answers to.")
    site_name: str = Field(default="fonds", description="Name shown in the page header.")
    host: str = Field(default="127.0.0.1", description="Address `fonds serve` listens on.")
    port: int = Field(default=8000, description="Port `fonds serve` listens on.")
    workers: int = Field(default=2, ge=1, description="Web worker processes of `fonds serve`.")
    page_size: int = Field(default=20, ge=1, le=500, description="Documents per page in lists.")
    recent_documents: int = Field(default=20, ge=1, le=500, description="Documents on the home page.")
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
    api_token_days: int = Field(default=90, ge=0, description="Days a new API token stays valid (0: until revoked).")

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource):
        # fonds.toml lives in the home, so the home must be known before the file is read.
        home = Path(init_settings.init_kwargs.get("home") or default_home())
        toml = TomlConfigSettingsSource(settings_cls, toml_file=home / CONFIG_FILE)
        return init_settings, env_settings, toml

    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

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
