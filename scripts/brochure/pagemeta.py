"""What a page tells machines about itself: the metadata of the web-page specification that
goes with 《政府网站发展指引》 (SiteName, ColumnName, ArticleTitle, PubDate, ContentSource …),
OpenGraph for sharing, and schema.org JSON-LD (EducationEvent for a programme, NewsArticle
for a post). The plugin puts this in `page.meta["brochure"]`; overrides/main.html prints it.
"""

from __future__ import annotations

import json

from .catalogue import Post, Programme, Unit
from .feed import absolute
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


def programme_meta(p: Programme, site_url: str, column: str) -> dict:
    url = absolute(site_url, page_url("programme", p.slug))
    venue = p.venue
    event = {
        "@context": "https://schema.org",
        "@type": "EducationEvent",
        "name": p.title,
        "startDate": p.start.isoformat(),
        "endDate": p.end.isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {
            "@type": "Place",
            "name": venue["name"],
            "address": venue.get("address") or venue.get("city") or venue["name"],
        },
        "organizer": _organisation(p.host, site_url),
        "description": p.audience,
        "url": url,
    }
    if p.capacity:
        event["maximumAttendeeCapacity"] = p.capacity
    return {
        "column": column,
        "title": p.title,
        "description": f"{p.type} · {p.audience}",
        "keywords": p.tags,
        "url": url,
        "type": "article",
        "jsonld": json.dumps(event, ensure_ascii=False),
    }


def post_meta(post: Post, site_url: str, site_name: str, column: str) -> dict:
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
        "author": [{"@type": "Person", "name": n} for n in dict(post.credits).get("供稿", [])]
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
