"""What a page tells machines about itself: the metadata of the web-page specification that
goes with 《政府网站发展指引》 (SiteName, ColumnName, ArticleTitle, PubDate, ContentSource …),
OpenGraph for sharing, and schema.org JSON-LD (EducationEvent for a programme, NewsArticle
for a post). The plugin puts this in `page.meta["brochure"]`; overrides/main.html prints it.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from .catalogue import Catalogue, Lecturer, Post, Programme, Site, Unit
from .feed import absolute, site_config
from .images import image_size
from .schema import SHARE_IMAGE_MIN
from .urls import page_url


def _organisation(org: Unit | None, site_url: str) -> dict | None:
    if not org:
        return None
    data = {"@type": "Organization", "name": org.name}
    if org.url:
        data["url"] = org.url
    elif org.id:
        data["url"] = absolute(site_url, f"organisations/{org.id}/")
    return data


def _postal_address(venue: dict) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": "CN"}
    if venue.get("address"):
        address["streetAddress"] = venue["address"]
    if venue.get("city"):
        address["addressLocality"] = venue["city"]
    if len(address) == 2:
        address["name"] = venue["name"]
    return address


def _person_or_unit(name: str) -> dict:
    """A credit names a person (李晓彤) or a unit (成都市朗力社工中心): schema.org tells them apart."""
    unit = len(name) > 4 or re.search(r"(中心|学院|大学|党校|协会|委员会|部|局|厅|处|办|社|站|所)$", name)
    return {"@type": "Organization" if unit else "Person", "name": name}


def programme_meta(p: Programme, site_url: str, column: str, language: str = "zh-CN") -> dict:
    url = absolute(site_url, page_url("programme", p.slug))
    venue = p.venue
    # Held in a room and also streamed (a 线上直播 session): both kinds of place.
    online = any(s.format == "线上直播" for m in p.modules for s in m.sessions)
    place = {"@type": "Place", "name": venue["name"], "address": _postal_address(venue)}
    event = {
        "@context": "https://schema.org",
        "@type": "EducationEvent",
        "name": p.title,
        "inLanguage": language,
        "startDate": p.start.isoformat(),
        "endDate": p.end.isoformat(),
        "eventAttendanceMode": f"https://schema.org/{'Mixed' if online else 'Offline'}EventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": [place, {"@type": "VirtualLocation", "url": url}] if online else place,
        "organizer": _organisation(p.host, site_url),
        "description": p.audience,
        "url": url,
    }
    if p.lecturers:
        event["performer"] = [
            {"@type": "Person", "name": lecturer.name, "url": absolute(site_url, page_url("lecturer", lecturer.id))}
            for lecturer in p.lecturers
        ]
    if p.cover:
        event["image"] = absolute(site_url, p.cover["image"])
    if p.fee:
        offer = {"@type": "Offer", "url": (p.registration or {}).get("url") or url, "priceCurrency": "CNY"}
        if p.fee["amount"] is not None:
            offer["price"] = p.fee["amount"]
        else:  # 免费 is a price of 0; 由委托单位统一支付 is no price a reader pays
            offer["description"] = p.fee["text"]
            if re.search("免费|不收", p.fee["text"] or ""):
                offer["price"] = 0
        deadline = (p.registration or {}).get("deadline")
        if deadline:
            offer["validThrough"] = deadline.isoformat()
        event["offers"] = offer
    if p.capacity:
        event["maximumAttendeeCapacity"] = p.capacity
    return {
        "column": column,
        "title": p.title,
        "description": f"{p.type} · {p.audience}",
        "keywords": p.tags,
        "url": url,
        "type": "article",
        "image": event.get("image"),
        "jsonld": json.dumps(event, ensure_ascii=False),
    }


def post_meta(post: Post, site_url: str, site_name: str, column: str, language: str = "zh-CN") -> dict:
    url = absolute(site_url, post.url)
    image = absolute(site_url, post.cover["image"]) if post.cover else None
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "datePublished": post.date.isoformat(),
        "url": url,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": site_name},
        "inLanguage": language,
        "author": [_person_or_unit(n) for n in dict(post.credits).get("供稿", [])]
        or {"@type": "Organization", "name": post.source},
        "description": post.excerpt,
    }
    if image:
        article["image"] = image
    return {
        "column": column,
        "title": post.title,
        "pub_date": f"{post.date:%Y-%m-%d %H:%M}",
        "source": post.source,
        "author": "、".join(dict(post.credits).get("供稿", [])),
        "description": post.excerpt,
        "keywords": [t.name for t in post.tags],
        "image": image,
        "url": url,
        "type": "article",
        "jsonld": json.dumps(article, ensure_ascii=False),
    }


def og_locale(opencc_config: str) -> str:
    """OpenGraph's locale for the Traditional copy, after the glyph standard it is converted to:
    Hong Kong's for s2hk, else Taiwan's (s2tw, s2twp; s2t's OpenCC glyphs are closest to
    them too). OpenGraph knows zh_CN, zh_TW and zh_HK, no script-only locale."""
    return "zh_HK" if opencc_config.startswith("s2hk") else "zh_TW"


def programme_changed(p: Programme, today: date) -> date | None:
    """The last day a programme's page changed, as far as the content tells: its status moves
    on by itself the day after the registration deadline, on the first day and the day after
    the last; a post about it is listed on it from its date. An edit to the file leaves no
    date in the content (file times are the checkout's, and differ between two clones), so
    a programme none of these has reached yet gets no date rather than a wrong one."""
    deadline = (p.registration or {}).get("deadline")
    moments = [deadline + timedelta(days=1) if deadline else None, p.start, p.end + timedelta(days=1)]
    days = [day for day in moments if day and day <= today]
    days += [post.date.date() for post in p.news if post.date.date() <= today]
    return max(days, default=None)


def page_changes(catalogue: Catalogue, news_dir: str, today: date) -> dict[str, date]:
    """{page path under docs/: the day it last changed} for the sitemap's <lastmod>, in the
    site's time zone (Beijing), as build_date is. A post: its date. A programme: see
    programme_changed. A lecturer's, site's or organisation's page lists their programmes,
    a category's or tag's its posts: the latest of those. The home page and the section
    indexes: the latest of all they draw from. Hand-written pages (the editors' guide) have
    no date in the content and get none."""
    changed: dict[str, date] = {}

    def note(path: str, day: date | None) -> None:
        if day and (path not in changed or changed[path] < day):
            changed[path] = day

    for post in catalogue.news:
        day = post.date.date()
        note(post.path, day)
        note(post.category.path, day)
        for tag in post.tags:
            note(tag.path, day)
        note(f"{news_dir}/archive/{post.date.year}.md", day)
        note(f"{news_dir}/archive/index.md", day)
        note(f"{news_dir}/index.md", day)
        note("index.md", day)
    for p in catalogue.programmes:
        day = programme_changed(p, today)
        note(p.path, day)
        note("programmes/index.md", day)
        note("index.md", day)
    for kind, section in (
        (catalogue.lecturers, "lecturers"),
        (catalogue.sites, "sites"),
        (catalogue.organisations, "organisations"),
    ):
        for entry in kind:
            for p in entry.programmes:
                day = changed.get(p.path)
                note(entry.path, day)
                note(f"{section}/index.md", day)
    # MkDocs gives the sitemap's .gz the latest page date as its time: one page always has one.
    changed.setdefault("index.md", today)
    return changed


def share_image(config, folders: list[Path], site_url: str) -> str | None:
    """The site-wide og:image, by its full address, from mkdocs.yml as read (`config`):
    extra.site.share_image, else the theme's logo (theme.logo), when it is a raster image of
    at least 200 × 200 pixels; an SVG or a small icon makes no share card, and a page is better
    with none than with a broken one. (schema checks that a share_image set is big enough.)"""
    theme = config.get("theme") or {}
    extra = config.get("extra") or {}
    site = extra.get("site") if hasattr(extra, "get") else None
    chosen = site.get("share_image") if hasattr(site, "get") else None
    logo = chosen or (theme.get("logo") if hasattr(theme, "get") else None)
    if not isinstance(logo, str) or not logo or not site_url or re.match(r"[a-z]+:", logo):
        return None
    for folder in folders:
        path = Path(folder) / logo
        if path.is_file():
            with open(path, "rb") as f:
                size = image_size(f.read(256 * 1024))
            if size and min(size) >= SHARE_IMAGE_MIN:
                return absolute(site_url, logo)
            return None
    return None


def _plain(markdown_text: str | None) -> str | None:
    """A bio or description as one line of text for a description property."""
    if not markdown_text:
        return None
    text = re.sub(r"<[^>]+>|[*_`#>]|!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    return re.sub(r"\s+", " ", text).strip() or None


def _meta(data: dict, **more) -> dict:
    return {**more, "jsonld": json.dumps(data, ensure_ascii=False)}


def home_meta(settings, language: str, logo: str | None) -> dict:
    """The home page: the institution (Organization) and the site (WebSite), as Google reads
    them for the site's name and its knowledge panel."""
    site_url = settings.site_url
    if not site_url:
        return {"type": "website"}
    extra = (site_config(settings).get("extra") or {}).get("site") or {}
    organisation = {
        "@type": "Organization",
        "@id": site_url + "#organization",
        "name": settings.site_name,
        "url": site_url,
    }
    if logo:
        organisation["logo"] = logo
    if extra.get("address"):
        organisation["address"] = {"@type": "PostalAddress", "streetAddress": extra["address"], "addressCountry": "CN"}
    if extra.get("phone"):
        organisation["telephone"] = str(extra["phone"])
    if extra.get("email"):
        organisation["email"] = extra["email"]
    if extra.get("host_unit"):
        organisation["parentOrganization"] = {"@type": "Organization", "name": extra["host_unit"]}
    website = {
        "@type": "WebSite",
        "@id": site_url + "#website",
        "name": settings.site_name,
        "url": site_url,
        "inLanguage": language,
        "publisher": {"@id": site_url + "#organization"},
    }
    return _meta({"@context": "https://schema.org", "@graph": [organisation, website]}, type="website")


def lecturer_meta(lecturer: Lecturer, site_url: str, column: str) -> dict:
    """A lecturer's page is a profile page (Google's ProfilePage) about a Person."""
    url = absolute(site_url, page_url("lecturer", lecturer.id))
    person = {"@type": "Person", "name": lecturer.name, "url": url}
    if lecturer.title:
        person["jobTitle"] = lecturer.title
    if lecturer.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": lecturer.affiliation}
    if lecturer.fields:
        person["knowsAbout"] = list(lecturer.fields)
    if lecturer.photo:
        person["image"] = absolute(site_url, lecturer.photo)
    if _plain(lecturer.bio):
        person["description"] = _plain(lecturer.bio)
    page = {"@context": "https://schema.org", "@type": "ProfilePage", "url": url, "mainEntity": person}
    return _meta(page, column=column, type="profile", image=person.get("image"))


def place_meta(site: Site, site_url: str, column: str) -> dict:
    """A site-teaching point (现场教学点) is a Place, with its address."""
    url = absolute(site_url, page_url("site", site.id))
    place = {"@context": "https://schema.org", "@type": "Place", "name": site.name, "url": url}
    if site.address or site.city:
        place["address"] = _postal_address({"name": site.name, "address": site.address, "city": site.city})
    if _plain(site.description):
        place["description"] = _plain(site.description)
    return _meta(place, column=column, type="website")
