"""Messenger lead forms: parameters, steps and replies (LEAD_FORMS_REFERENCE;
seed)."""

from __future__ import annotations

LEAD_FORM_PARAMETERS = frozenset({
    "privacy_url", "template_name", "reminder_text", "step_list", "account_id",
    "block_send_api", "exit_keyphrases", "handover_app_id", "handover_summary",
    "stop_question_message", "tracking_parameters"})  # SDK Page.create_messenger_lead_form
LEAD_FORM_REQUIRED = frozenset({"privacy_url", "template_name", "reminder_text",
                                "step_list"})  # seed: "Your request must include"
LEAD_FORM_STEP_FIELDS = frozenset({
    "step_id", "step_type", "reply_type", "message", "answers", "next_step_ids", "prefill_type",
    "allow_to_skip", "answer_validation_enabled"})  # seed step_list table
LEAD_FORM_STEP_REQUIRED = frozenset({"step_id", "step_type", "reply_type", "message"})  # seed
LEAD_FORM_STEP_TYPES = frozenset({"INTRO", "QUESTION", "CONFIRMATION", "DISQUALIFY"})
LEAD_FORM_TERMINAL_STEP_TYPES = frozenset({"CONFIRMATION", "DISQUALIFY"})  # end the chat
LEAD_FORM_REPLY_TYPES = frozenset({"NONE", "PREFILL", "QUICK_REPLIES"})
LEAD_FORM_PREFILL_TYPES = frozenset({"CITY", "EMAIL", "PHONE"})
CONTACT_PREFILL_TYPES = frozenset({"EMAIL", "PHONE"})  # what lets a business reach a lead
# answer_validation_enabled works only for city, country, email, national ID,
# phone number and zip code answers (seed); of the prefill types, all three.
VALIDATABLE_PREFILL_TYPES = frozenset({"CITY", "EMAIL", "PHONE"})
