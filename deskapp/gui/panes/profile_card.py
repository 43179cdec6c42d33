"""Who is on the line, at a glance: name and tier, how to reach them, their organization and
local time, tags, the profile note, their plan and how much of it this period has used — and,
on its own line, when we last spoke and how often in the last month."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from deskapp.domain.enums import Tier
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label, preview_line, set_style
from deskapp.services.customer_profile import CustomerProfile, PlanUsage

NOTE_CHARS = 280  # the card shows the start; the rest is one click away
TIER_STYLE = {
    Tier.VIP: "QLabel { background: #6a1b9a; color: white; padding: 1px 6px; "
    "border-radius: 3px; font-weight: bold; }",
    Tier.PRIORITY: "QLabel { background: #1565c0; color: white; padding: 1px 6px; "
    "border-radius: 3px; font-weight: bold; }",
    Tier.STANDARD: "QLabel { border: 1px solid palette(mid); padding: 1px 6px; "
    "border-radius: 3px; }",
}
_WARN = "QLabel { color: #b3261e; font-weight: bold; }"


def plan_text(plan: PlanUsage | None, support_plan: str | None) -> tuple[str, bool]:
    """("Premium, this month: 3 of 5 cases, 1.25 of 4 h", exceeded)."""
    if plan is None:
        return (f"Plan: {support_plan}" if support_plan else "No support plan"), False
    period = {"month": "this month", "quarter": "this quarter", "year": "this year"}
    parts = []
    if plan.included_cases is not None:
        parts.append(f"{plan.used_cases} of {plan.included_cases} cases")
    else:
        parts.append(f"{plan.used_cases} cases")
    if plan.included_hours is not None:
        parts.append(f"{plan.used_hours:g} of {plan.included_hours:g} h")
    elif plan.used_hours:
        parts.append(f"{plan.used_hours:g} h")
    text = f"{plan.name}, {period[plan.period.value]}: " + ", ".join(parts)
    if plan.exceeded:
        text += " — over the plan"
    return text, plan.exceeded


def contact_text(profile: CustomerProfile, now: datetime) -> str:
    if profile.last_contact_at is None:
        last = "Last contact: never"
    else:
        ago = fmt.span(now - profile.last_contact_at)
        last = f"Last contact {ago} ago ({fmt.when(profile.last_contact_at)})"
    recent = profile.contacts_last_30_days
    return (f"{last}  ·  {recent} contact{'s' if recent != 1 else ''} in the last 30 days  ·  "
            f"{profile.open_case_count} open of {profile.case_count:,} cases")  # fmt: skip


class ProfileCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileCard")
        self.setAccessibleName("Customer profile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = plain_label("The customer's profile and history appear here.", self,
                                name="customerProfile", wrap=True)  # fmt: skip
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.name.setFont(font)
        self.tier = plain_label("", self, name="customerTier", selectable=False)
        self.tier.hide()
        self.contacts = plain_label("", self, name="customerContacts", wrap=True)
        self.where = plain_label("", self, name="customerWhere", wrap=True)
        self.tags = plain_label("", self, name="customerTags", wrap=True)
        self.note = plain_label("", self, name="customerNote", wrap=True)
        self.note.setStyleSheet("QLabel { font-style: italic; }")
        self.plan = plain_label("", self, name="customerPlan", wrap=True)
        self.last_contact = plain_label("", self, name="customerLastContact", wrap=True)
        self.last_contact.setStyleSheet("QLabel { font-weight: bold; }")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.name, 1)
        top.addWidget(self.tier)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(1)
        layout.addLayout(top)
        layout.addWidget(self.last_contact)
        for label in (self.contacts, self.where, self.plan, self.tags, self.note):
            layout.addWidget(label)
        self.full_note = ""

    def show_profile(self, profile: CustomerProfile, now: datetime) -> None:
        self.name.setText(preview_line(profile.name, 120))
        self.tier.setText(profile.tier.value.upper())
        set_style(self.tier, TIER_STYLE[profile.tier])
        self.tier.show()
        self.last_contact.setText(contact_text(profile, now))
        reach = [x for x in (profile.email, profile.phone) if x]
        if profile.preferred_contact:
            reach.append(f"prefers {profile.preferred_contact}")
        self.contacts.setText(
            "  ·  ".join(preview_line(x, 100) for x in reach) or "No email or phone"
        )
        local = fmt.local_time(profile.time_zone, now)
        where = [profile.organization or "No organization"]
        if local:
            where.append(f"{local} their time ({profile.time_zone})")
        self.where.setText("  ·  ".join(preview_line(x, 100) for x in where))
        self._show(self.tags, "Tags: " + ", ".join(profile.tags) if profile.tags else "")
        self.full_note = profile.profile_note or ""
        self._show(self.note, preview_line(self.full_note, NOTE_CHARS))
        text, exceeded = plan_text(profile.plan, profile.support_plan)
        self.plan.setText(text)
        set_style(self.plan, _WARN if exceeded else "")

    @staticmethod
    def _show(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))
