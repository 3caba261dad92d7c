"""Messenger lead forms: parameters, steps and replies (LEAD_FORMS_REFERENCE;
seed)."""

from __future__ import annotations

LEAD_FORM_PARAMETERS = frozenset({
    "privacy_url", "template_name", "reminder_text", "step_list", "account_id",
    "block_send_api", "exit_keyphrases", "handover_app_id", "handover_summary",
    "stop_question_message", "tracking_parameters"})  # SDK Page.create_messenger_lead_form
LEAD_FORM_REQUIRED_TEXTS = ("privacy_url", "template_name", "reminder_text")
LEAD_FORM_REQUIRED = frozenset({*LEAD_FORM_REQUIRED_TEXTS,
                                "step_list"})  # seed: "Your request must include"
# The form's own texts the person reads, besides each step's message and answers.
LEAD_FORM_MESSAGES = ("reminder_text", "stop_question_message")
# The members of a step (seed step_list table), in the order plans send them.
LEAD_FORM_STEP_FIELDS = ("step_id", "step_type", "message", "reply_type", "prefill_type",
                         "answers", "next_step_ids", "allow_to_skip", "answer_validation_enabled")
LEAD_FORM_STEP_REQUIRED = frozenset({"step_id", "step_type", "reply_type", "message"})  # seed
LEAD_FORM_STEP_TYPES = frozenset({"INTRO", "QUESTION", "CONFIRMATION", "DISQUALIFY"})
LEAD_FORM_TERMINAL_STEP_TYPES = frozenset({"CONFIRMATION", "DISQUALIFY"})  # end the chat
LEAD_FORM_REPLY_TYPES = frozenset({"NONE", "PREFILL", "QUICK_REPLIES"})
LEAD_FORM_PREFILL_TYPES = frozenset({"CITY", "EMAIL", "PHONE"})
CONTACT_PREFILL_TYPES = frozenset({"EMAIL", "PHONE"})  # what lets a business reach a lead
# answer_validation_enabled works only for city, country, email, national ID,
# phone number and zip code answers (seed); of the prefill types, all three.
VALIDATABLE_PREFILL_TYPES = frozenset({"CITY", "EMAIL", "PHONE"})
