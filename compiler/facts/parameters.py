"""The POST parameters of each endpoint, and how Meta takes each on the wire
(SDK create_* `_param_checker._type_check_info`)."""

from __future__ import annotations

from .lead_forms import LEAD_FORM_PARAMETERS

POST_PARAMETERS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({
        "adlabels", "bid_strategy", "budget_schedule_specs", "buying_type", "daily_budget",
        "execution_options", "frequency_control_specs", "is_adset_budget_sharing_enabled",
        "is_budget_schedule_enabled", "is_direct_send_campaign", "is_message_campaign",
        "is_meta_moment_maker_enabled", "is_reels_trending_ads_enabled",
        "is_skadnetwork_attribution", "iterative_split_test_configs", "lifetime_budget", "name",
        "objective", "pacing_type", "promoted_object", "smart_promotion_type",
        "source_campaign_id", "special_ad_categories", "special_ad_category_country",
        "spend_cap", "start_time", "status", "stop_time", "topline_id"}),
    "adsets": frozenset({
        "ad_set_goal", "adlabels", "adset_schedule", "attribution_count_type",
        "attribution_spec", "automatic_manual_state", "bid_adjustments", "bid_amount",
        "bid_constraints", "bid_strategy", "billing_event", "brand_safety_config",
        "budget_schedule_specs", "budget_source", "budget_split_set_id", "campaign_attribution",
        "campaign_id", "campaign_spec", "cost_bidding_mode", "creative_sequence",
        "creative_sequence_repetition_pattern", "daily_budget", "daily_imps",
        "daily_min_spend_target", "daily_spend_cap", "date_format", "destination_type",
        "dsa_beneficiary", "dsa_payor", "end_time", "execution_options",
        "existing_customer_budget_percentage", "frequency_control_specs",
        "full_funnel_exploration_mode", "is_ba_skip_delayed_eligible",
        "is_budget_schedule_enabled", "is_dc_follow_optimized", "is_dynamic_creative",
        "is_incremental_attribution_enabled", "is_sac_cfca_terms_certified",
        "is_sequenced_conversion_creation", "lifetime_budget", "lifetime_imps",
        "lifetime_min_spend_target", "lifetime_spend_cap", "line_number",
        "live_video_ad_campaign_config", "max_budget_spend_percentage", "meta_moment_maker_spec",
        "min_budget_spend_percentage", "multi_event_conversion_attribution_window_seconds",
        "multi_optimization_goal_weight", "name", "optimization_goal", "optimization_sub_event",
        "pacing_type", "placement_soft_opt_out", "promoted_object", "rb_prediction_id",
        "regional_regulated_categories", "regional_regulation_identities", "relative_value",
        "rf_prediction_id", "source_adset_id", "start_time", "status", "targeting",
        "time_based_ad_rotation_id_blocks", "time_based_ad_rotation_intervals", "time_start",
        "time_stop", "topline_id", "trending_topics_spec", "tune_for_category",
        "value_rule_set_id", "value_rules_applied"}),
    "adcreatives": frozenset({
        "actor_id", "ad_disclaimer_spec", "adlabels", "applink_treatment", "asset_feed_spec",
        "authorization_category", "body", "branded_content", "branded_content_sponsor_page_id",
        "bundle_folder_id", "call_to_action", "categorization_criteria", "category_media_source",
        "contextual_multi_ads", "creative_sourcing_spec", "degrees_of_freedom_spec",
        "destination_set_id", "destination_spec", "dynamic_ad_voice",
        "enable_launch_instant_app", "execution_options", "existing_post_title",
        "facebook_branded_content", "format_transformation_spec", "generative_asset_spec",
        "image_crops", "image_file", "image_hash", "image_url", "instagram_branded_content",
        "instagram_permalink_url", "instagram_user_id", "interactive_components_spec",
        "is_dco_internal", "link_og_id", "link_url", "marketing_message_structured_spec",
        "media_sourcing_spec", "name", "object_id", "object_story_id", "object_story_spec",
        "object_type", "object_url", "omnichannel_link_spec", "page_welcome_message",
        "place_page_set_id", "platform_customizations", "playable_asset_id",
        "portrait_customizations", "product_set_id", "product_suggestion_settings",
        "recommender_settings", "regional_regulation_disclaimer_spec", "source_facebook_post_id",
        "source_instagram_media_id", "template_url", "template_url_spec", "thumbnail_url",
        "title", "url_tags", "use_page_actor_override", "wamo_whatsapp_identity_spec"}),
    "ads": frozenset({
        "ad_schedule_end_time", "ad_schedule_start_time", "adlabels", "adset_id", "adset_spec",
        "audience_id", "bid_amount", "conversion_domain", "creative",
        "creative_asset_groups_spec", "creative_automation_spec", "date_format",
        "display_sequence", "draft_adgroup_id", "engagement_audience", "execution_options",
        "include_demolink_hashes", "name", "priority", "source_ad_id", "status",
        "tracking_specs"}),
    "messenger_lead_forms": LEAD_FORM_PARAMETERS,
}
# Top-level keys Meta's docs use that the SDK's checker lacks: the seed's
# product-extension examples send product_data beside object_story_id.
DOCUMENTED_EXTRA_PARAMETERS: dict[str, frozenset[str]] = {
    "adcreatives": frozenset({"product_data"}),
}

# What Meta accepts on the wire, normalised before rules judge it.
# Meta's SDK posts form-encoded parameters, so every value arrives as text: a
# dict, list or bool parameter as compact JSON (`_top_level_param_json_encode`
# in facebook_business/api.py), a number as its digits. Meta's own SDK
# examples write `'daily_budget': '1000'`. compiler/bodies/wire.py decodes these
# top-level parameters by the types below (SDK create_* `_type_check_info`).

# Numbers, ids excepted: ids stay strings end to end (they exceed 2^53).
NUMBER_PARAMETERS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({"daily_budget", "lifetime_budget", "spend_cap"}),
    "adsets": frozenset({
        "bid_amount", "daily_budget", "daily_imps", "daily_min_spend_target", "daily_spend_cap",
        "existing_customer_budget_percentage", "lifetime_budget", "lifetime_imps",
        "lifetime_min_spend_target", "lifetime_spend_cap", "line_number",
        "max_budget_spend_percentage", "min_budget_spend_percentage",
        "multi_event_conversion_attribution_window_seconds", "relative_value"}),
    "adcreatives": frozenset(),
    "ads": frozenset({"bid_amount", "display_sequence", "priority"}),
    "messenger_lead_forms": frozenset(),
}
# Booleans ("true" / "false" on the wire).
BOOLEAN_TEXT = ("true", "false")
BOOLEAN_PARAMETERS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({
        "is_adset_budget_sharing_enabled", "is_budget_schedule_enabled",
        "is_direct_send_campaign", "is_message_campaign", "is_meta_moment_maker_enabled",
        "is_reels_trending_ads_enabled", "is_skadnetwork_attribution"}),
    "adsets": frozenset({
        "is_ba_skip_delayed_eligible", "is_budget_schedule_enabled", "is_dc_follow_optimized",
        "is_dynamic_creative", "is_incremental_attribution_enabled",
        "is_sac_cfca_terms_certified", "is_sequenced_conversion_creation",
        "value_rules_applied"}),
    "adcreatives": frozenset({"enable_launch_instant_app", "is_dco_internal",
                              "use_page_actor_override"}),
    "ads": frozenset({"engagement_audience", "include_demolink_hashes"}),
    "messenger_lead_forms": frozenset({"block_send_api", "handover_summary"}),
}
# Objects and lists (map, Object, list<...>, an SDK class): sent as JSON text.
JSON_PARAMETERS: dict[str, frozenset[str]] = {
    "campaigns": frozenset({
        "adlabels", "budget_schedule_specs", "execution_options", "frequency_control_specs",
        "iterative_split_test_configs", "pacing_type", "promoted_object",
        "special_ad_categories", "special_ad_category_country"}),
    "adsets": frozenset({
        "ad_set_goal", "adlabels", "adset_schedule", "attribution_spec", "bid_adjustments",
        "bid_constraints", "brand_safety_config", "budget_schedule_specs",
        "campaign_attribution", "campaign_spec", "creative_sequence", "execution_options",
        "frequency_control_specs", "live_video_ad_campaign_config", "meta_moment_maker_spec",
        "pacing_type", "placement_soft_opt_out", "promoted_object",
        "regional_regulated_categories", "regional_regulation_identities", "targeting",
        "time_based_ad_rotation_id_blocks", "time_based_ad_rotation_intervals",
        "trending_topics_spec"}),
    "adcreatives": frozenset({
        "ad_disclaimer_spec", "adlabels", "asset_feed_spec", "branded_content", "call_to_action",
        "contextual_multi_ads", "creative_sourcing_spec", "degrees_of_freedom_spec",
        "destination_spec", "execution_options", "facebook_branded_content",
        "format_transformation_spec", "generative_asset_spec", "image_crops",
        "instagram_branded_content", "interactive_components_spec",
        "marketing_message_structured_spec", "media_sourcing_spec", "object_story_spec",
        "omnichannel_link_spec", "platform_customizations", "portrait_customizations",
        "product_suggestion_settings", "recommender_settings",
        "regional_regulation_disclaimer_spec", "wamo_whatsapp_identity_spec",
        # Meta's product-extension pages send it beside object_story_id (not in the SDK).
        "product_data"}),
    "ads": frozenset({
        "adlabels", "adset_spec", "creative", "creative_asset_groups_spec",
        "creative_automation_spec", "execution_options", "tracking_specs"}),
    # execution_options: not in the SDK's request, taken by every POST (EXECUTION_OPTIONS).
    "messenger_lead_forms": frozenset({"execution_options", "step_list", "tracking_parameters"}),
}
