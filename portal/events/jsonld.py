"""schema.org `Event` of a rendez-vous as JSON-LD (search engines, sharing): eventStatus
(scheduled, rescheduled, cancelled) and eventAttendanceMode (always in person here)."""

from ..i18n import localized
from ..sanitize import plain_text
from .models import EventStatus
from .texts import event_url, local

STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.MOVED: "https://schema.org/EventRescheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}


def event_jsonld(event) -> dict:
    place = {"@type": "Place", "name": str(localized(event, "place_name")),
             "address": {"@type": "PostalAddress", "streetAddress": event.address,
                         "addressLocality": "Roubaix", "addressCountry": "FR"}}
    if event.latitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": event.latitude,
                        "longitude": event.longitude}
    data = {
        "@context": "https://schema.org", "@type": "Event",
        "name": str(localized(event, "title")),
        "description": plain_text(str(localized(event, "description")))[:500],
        "startDate": local(event.starts_at).isoformat(),
        "endDate": local(event.ends_at).isoformat(),
        "eventStatus": STATUS[event.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place, "url": event_url(event), "isAccessibleForFree": True,
    }
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser}
    return data
