"""Settings for local builds and previews; publishconf.py overrides them for the public site."""

import os

SITENAME = "扶贫资金项目公告公示"
SITEURL = ""
# The public address of the site: printed QR codes on wall notices point here for years (publishconf.py publishes
# there). Set it once, keep it.
PUBLIC_SITEURL = os.environ.get("GONGSHI_SITEURL") or "https://gongshi.example.org"
AUTHOR = "gongshi"
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
RELATIVE_URLS = True

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["gongshi"]
GONGSHI = {
    "data_path": "data",
    "schemas_path": "schemas",
    # The guideline asks for at least 10 days; some places use longer periods (local practice).
    "min_notice_days": 10,
    "national_hotline": "12317",
    # A local build can be opened straight from disk; the public site keeps folder addresses.
    "index_links": True,
    # Who may sign for which county: keys/allowed_signers, signed by the province key with this fingerprint.
    # This is the DEMO province key (its private half is in keys/demo/); a real site sets its own.
    "keys_path": "keys",
    # Every published version and each county's signed, hash-chained release log.
    "history_path": "history",
    "province_key_fingerprint": "SHA256:C4WwQEZ6CThqjxwC5sWkBUqsDZ8H/qAQvSDj7y5PeUI",
    # Local previews show packages whose signature does not verify (marked as unverified); publishconf never does.
    "allow_unsigned": True,
}

# content/ holds prose pages only; data pages come from the gongshi generator.
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
PAGE_URL = "pages/{slug}/"
PAGE_SAVE_AS = "pages/{slug}/index.html"
DIRECT_TEMPLATES = []
# The site's icon at /favicon.ico, where browsers ask for it.
STATIC_PATHS = ["extra"]
EXTRA_PATH_METADATA = {"extra/favicon.ico": {"path": "favicon.ico"}}
AUTHOR_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DISPLAY_PAGES_ON_MENU = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True,
                     "extensions": ["jinja2.ext.i18n"]}
DELETE_OUTPUT_DIRECTORY = False
