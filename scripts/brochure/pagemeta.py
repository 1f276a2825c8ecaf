"""What a page tells machines about itself: the metadata of the web-page specification that
goes with 《政府网站发展指引》 (SiteName, ColumnName, ArticleTitle, PubDate, ContentSource …),
OpenGraph for sharing, and schema.org JSON-LD (EducationEvent for a programme, NewsArticle
for a post). The plugin puts this in `page.meta["brochure"]`; overrides/main.html prints it.
"""

from __future__ import annotations

import json
import re

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
