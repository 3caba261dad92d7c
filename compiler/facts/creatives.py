"""What a creative takes: calls to action, app destinations, media keys,
greeting formats and personalization tokens (CREATIVE_REFERENCE, CTM_GUIDE)."""

from __future__ import annotations

import re

CALL_TO_ACTION_TYPES = frozenset({
    "ADD_TO_CART", "APPLY_NOW", "ASK_ABOUT_SERVICES", "ASK_A_QUESTION", "ASK_FOR_MORE_INFO",
    "ASK_US", "AUDIO_CALL", "BOOK_A_CONSULTATION", "BOOK_NOW", "BOOK_TRAVEL", "BROWSE_SHOP",
    "BUY", "BUY_NOW", "BUY_TICKETS", "BUY_VIA_MESSAGE", "CALL", "CALL_ME", "CALL_NOW",
    "CHAT_NOW", "CHAT_WITH_US", "CONFIRM", "CONTACT", "CONTACT_US", "DONATE", "DONATE_NOW",
    "DOWNLOAD", "EVENT_RSVP", "FIND_A_GROUP", "FIND_OUT_MORE", "FIND_YOUR_GROUPS",
    "FOLLOW_NEWS_STORYLINE", "FOLLOW_PAGE", "FOLLOW_USER", "GET_A_QUOTE", "GET_DETAILS",
    "GET_DIRECTIONS", "GET_IN_TOUCH", "GET_OFFER", "GET_OFFER_VIEW", "GET_PROMOTIONS",
    "GET_QUOTE", "GET_SHOWTIMES", "GET_STARTED", "INQUIRE_NOW", "INSTALL_APP",
    "INSTALL_MOBILE_APP", "JOIN_CHANNEL", "JOIN_LIVE_VIDEO", "LEARN_MORE", "LIKE_PAGE",
    "LISTEN_MUSIC", "LISTEN_NOW", "MAKE_AN_APPOINTMENT", "MESSAGE_PAGE", "MOBILE_DOWNLOAD",
    "NO_BUTTON", "OPEN_INSTANT_APP", "OPEN_LINK", "ORDER_NOW", "PAY_TO_ACCESS", "PLAY_GAME",
    "PLAY_GAME_ON_FACEBOOK", "PURCHASE_GIFT_CARDS", "RAISE_MONEY", "RECORD_NOW",
    "REFER_FRIENDS", "REQUEST_TIME", "SAY_THANKS", "SEE_MORE", "SEE_SHOP", "SELL_NOW",
    "SEND_A_GIFT", "SEND_GIFT_MONEY", "SEND_UPDATES", "SHARE", "SHOP_NOW", "SHOP_WITH_AI",
    "SIGN_UP", "SOTTO_SUBSCRIBE", "START_A_CHAT", "START_ORDER", "SUBSCRIBE",
    "SWIPE_UP_PRODUCT", "SWIPE_UP_SHOP", "TRY_DEMO", "TRY_ON_WITH_AI", "UPDATE_APP", "USE_APP",
    "USE_MOBILE_APP", "VIDEO_ANNOTATION", "VIDEO_CALL", "VIEW_CART", "VIEW_CHANNEL",
    "VIEW_IN_CART", "VIEW_PRODUCT", "VISIT_PAGES_FEED", "VISIT_WEBSITE", "WATCH_LIVE_VIDEO",
    "WATCH_MORE", "WATCH_VIDEO", "WHATSAPP_MESSAGE", "WOODHENGE_SUPPORT",
})  # SDK AdCreativeLinkDataCallToAction.Type (102)
# The Instagram Direct guide's button; missing from the SDK enum (Meta's references).
CALL_TO_ACTION_TYPES_DOCUMENTED = frozenset({"INSTAGRAM_MESSAGE"})
ALL_CALL_TO_ACTION_TYPES = CALL_TO_ACTION_TYPES | CALL_TO_ACTION_TYPES_DOCUMENTED

# call_to_action.value.app_destination of a messaging ad (CTM_GUIDE, CTIG_GUIDE, CTWA_GUIDE; the SDK
# types it as a plain string).
APP_DESTINATIONS = frozenset({"MESSENGER", "INSTAGRAM_DIRECT", "WHATSAPP"})
# The app_destination the creative must carry for an ad set destination_type.
APP_DESTINATION_FOR = {
    "MESSENGER": "MESSENGER", "LEAD_FROM_MESSENGER": "MESSENGER",
    "INSTAGRAM_DIRECT": "INSTAGRAM_DIRECT", "LEAD_FROM_IG_DIRECT": "INSTAGRAM_DIRECT",
    "WHATSAPP": "WHATSAPP"}
# The buttons the docs pair with each app destination (CTM_GUIDE, CTIG_GUIDE, CTWA_GUIDE);
# others are accepted but unusual.
USUAL_CTA_FOR = {"MESSENGER": frozenset({"MESSAGE_PAGE", "LEARN_MORE"}),
                 "INSTAGRAM_DIRECT": frozenset({"INSTAGRAM_MESSAGE", "LEARN_MORE"}),
                 "WHATSAPP": frozenset({"WHATSAPP_MESSAGE", "LEARN_MORE"})}

# The app a messaging button opens by itself (CTM_GUIDE, CTIG_GUIDE, CTWA_GUIDE).
APP_OF_BUTTON = {"MESSAGE_PAGE": "MESSENGER", "INSTAGRAM_MESSAGE": "INSTAGRAM_DIRECT",
                 "WHATSAPP_MESSAGE": "WHATSAPP"}
MESSAGING_BUTTONS = frozenset(APP_OF_BUTTON)

# degrees_of_freedom_spec.creative_features_spec.<feature>.enroll_status (Meta's references).
ENROLL_STATUSES = frozenset({"OPT_IN", "OPT_OUT"})
# What gives link_data its picture; a link alone is refused ("Please specify
# the media to run with this ad", as integrations quote Meta).
LINK_DATA_MEDIA_KEYS = ("image_hash", "picture", "child_attachments", "image_crops")
# Call-to-action types that take no value: WHATSAPP_MESSAGE opens the
# number linked to the Page (CTWA_GUIDE).
CTA_WITHOUT_VALUE = frozenset({"WHATSAPP_MESSAGE"})
# What gives video_data its thumbnail: without one Meta answers 1443226 "Please
# specify one of image_hash or image_url in the video_data field of
# object_story_spec" (VIDEO_DATA_REFERENCE; quoted by open-source clients).
VIDEO_THUMBNAIL_KEYS = ("image_url", "image_hash")
# Creative parameters that name existing content, written beside
# object_story_spec, never inside it (CREATIVE_REFERENCE; CTIG_GUIDE: an
# existing Instagram post). Inside it Meta answers "the link field is required".
POST_KEYS = ("source_instagram_media_id", "object_story_id")  # an existing post: its media
CREATIVE_SOURCE_KEYS = (*POST_KEYS, "object_id")
# The object_story_spec media keys, exactly one per creative (Meta's references).
STORY_MEDIA_KEYS = ("link_data", "video_data", "photo_data", "text_data")
# The formats a visual-editor greeting is written in: the API examples use
# text_format; Ads Manager writes image_format / video_format with media.
GREETING_FORMATS = ("text_format", "image_format", "video_format")
# Where else a creative's media may live, per Meta's pages: asset_feed_spec
# (top level: placement / segment asset customization) and
# object_story_spec.template_data (dynamic product ads).
OTHER_MEDIA_KEYS = ("asset_feed_spec", "template_data")

# The visual editor's greeting (page_welcome_message of type VISUAL_EDITOR): the
# screen it opens on (CTWA_GUIDE shows ctwa_flows for a WhatsApp Flow and
# ctwa_call_prompt for a call prompt) and its media_type (Ads Manager writes
# image / video with image_format / video_format). In the order Meta's pages list them.
LANDING_SCREEN_TYPES = ("welcome_message", "ctwa_flows", "ctwa_call_prompt")
GREETING_MEDIA_TYPES = ("text", "image", "video")
# Messenger Send API pieces a greeting is built from (QUICK_REPLIES_PAGE and the
# Send API's attachment, button and generic template references).
QUICK_REPLY_CONTENT_TYPES = ("text", "user_phone_number", "user_email")
ATTACHMENT_TYPES = ("image", "video", "audio", "file")  # besides "template"
BUTTON_TYPES = ("postback", "web_url", "phone_number")
IMAGE_ASPECT_RATIOS = frozenset({"horizontal", "square"})  # a generic template's images

# Tokens Meta fills in in greetings and ice-breaker responses, written
# {{user_first_name}}; anything else in double braces reaches people as typed (CTM_GUIDE).
PERSONALIZATION_TOKENS = frozenset({"user_first_name", "user_last_name", "user_full_name",
                                    "page_name"})
PERSONALIZATION_TOKEN = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")  # group 1: the name
