"""Which findings a recipient wants: families, metrics (wildcards), sites, targets/actuals, min change
(in percentage points for a percentage), every retag summary."""

from __future__ import annotations

from pantau_config import RecipientConfig
from store.models import Finding
from store.series import PERCENT_UNIT


def wants(finding: Finding, recipient: RecipientConfig, context: frozenset[str]) -> bool:
    """True when ``finding`` belongs in ``recipient``'s digest."""
    if finding.kind == "retag":
        return True  # one line about the whole store: no metric or site filter applies
    site = finding.site
    # A conflict is about two sources: a recipient who follows either of them wants it.
    sites = {site, finding.detail.get("other_site")} if finding.kind == "conflict" else {site}
    if recipient.sites and not sites & set(recipient.sites):
        return False
    if finding.kind == "source_health":
        return True  # health is about sources, not metrics: only the site filter applies
    metric = finding.metric or ""
    is_context = metric in context or finding.is_context
    if is_context and not recipient.include_context_metrics:
        return False
    if recipient.families and (finding.family or "") not in recipient.families:
        return False
    if not recipient.wants_metric(metric):
        return False
    is_target = bool(finding.is_target)
    if recipient.figures == "targets" and not is_target:
        return False
    if recipient.figures == "actuals" and is_target:
        return False
    if finding.kind == "new_value" and recipient.min_change_pct > 0:
        # A percentage moves by points (it has no relative change): the threshold is in points.
        pct = finding.abs_change if finding.unit == PERCENT_UNIT else finding.pct_change
        # A first value has no change to measure: it is always news.
        if pct is not None and abs(pct) < recipient.min_change_pct:
            return False
    return True
