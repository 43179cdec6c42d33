"""What a realistic contact centre's data is made of: teams, categories, the way customers and
reps actually write. Pure data; the generator (generator.py) draws from it with a seeded RNG.

Placeholders in braces are filled per case: {first} (customer's first name), {order},
{amount}, {last4}, {date}, {rep}, {tracking}, {product}.
"""

from __future__ import annotations

from deskapp.domain.enums import Channel, Direction, Mood, PlanPeriod, Priority, Tier

# name, time zone, weekday hours
TEAMS = [
    ("Billing & Payments", "Europe/Amsterdam", ("08:00", "18:00")),
    ("Orders & Shipping", "Europe/London", ("07:00", "19:00")),
    ("Account Access", "America/New_York", ("08:00", "20:00")),
    ("Resolution Team", "Europe/Amsterdam", ("09:00", "17:30")),
]
REPS_PER_TEAM = 7

# name, period, included cases, included hours
SUPPORT_PLANS = [
    ("Basic", PlanPeriod.MONTH, 2, None),
    ("Business", PlanPeriod.MONTH, 10, None),
    ("Premium", PlanPeriod.MONTH, None, 20),
    ("Enterprise", PlanPeriod.YEAR, None, None),
]

CUSTOMER_TIME_ZONES = [
    "Europe/Amsterdam", "Europe/London", "Europe/Berlin", "Europe/Madrid", "Europe/Warsaw",
    "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Toronto",
    "Asia/Singapore", "Australia/Sydney", "Asia/Kolkata", "Africa/Johannesburg",
]  # fmt: skip
TIER_WEIGHTS = [(Tier.STANDARD, 80), (Tier.PRIORITY, 15), (Tier.VIP, 5)]
CUSTOMER_TAGS = ["newsletter", "b2b", "reseller", "at-risk", "loyal", "press", "vip-event",
                 "accessibility", "prefers-email", "prefers-phone"]  # fmt: skip

CHANNEL_WEIGHTS = [
    (Channel.EMAIL, 38), (Channel.PHONE, 30), (Channel.CHAT, 20), (Channel.SOCIAL, 7),
    (Channel.IN_PERSON, 2), (Channel.THIRD_PARTY, 3),
]  # fmt: skip
PRIORITY_WEIGHTS = [(Priority.LOW, 20), (Priority.NORMAL, 60), (Priority.HIGH, 15),
                    (Priority.URGENT, 5)]  # fmt: skip
MOOD_WEIGHTS = [(Mood.CALM, 35), (Mood.NEUTRAL, 35), (Mood.FRUSTRATED, 20), (Mood.ANGRY, 10)]

# SLA targets in business minutes: priority → (first response, next response, resolution)
SLA_MINUTES = {
    Priority.URGENT: (30, 60, 8 * 60),
    Priority.HIGH: (60, 4 * 60, 2 * 8 * 60),
    Priority.NORMAL: (4 * 60, 8 * 60, 5 * 8 * 60),
    Priority.LOW: (8 * 60, 2 * 8 * 60, 10 * 8 * 60),
}
TIER_SLA_FACTOR = {Tier.STANDARD: 1.0, Tier.PRIORITY: 0.75, Tier.VIP: 0.5}

RESOLUTION_CODES = ["refunded", "replaced", "explained", "fixed", "credited", "duplicate",
                    "no_response", "chargeback_won", "chargeback_lost", "workaround"]  # fmt: skip

# category → (team index, subject templates)
CATEGORIES: dict[str, tuple[int, list[str]]] = {
    "billing": (0, [
        "Charged twice for order {order}", "Invoice {order} shows the wrong VAT number",
        "Refund for {order} not received after 10 days", "Direct debit failed, account paused",
        "Price went up without notice", "Need a copy of last year's invoices",
    ]),
    "refunds": (0, [
        "Refund of {amount} still pending", "Partial refund instead of full for {order}",
        "Refund went to an expired card ending {last4}",
    ]),
    "chargeback": (3, [
        "Card dispute opened by the bank for {order}",
        "Chargeback notice: {amount} on card {last4}",
        "Customer disputes subscription renewal with their bank",
    ]),
    "shipping": (1, [
        "Parcel {tracking} stuck in transit",
        "Order {order} delivered to the wrong address",
        "Package marked delivered but not received", "Damaged {product} on arrival",
        "Missing item in order {order}", "Delivery slot missed twice",
    ]),
    "returns": (1, [
        "Return label for {order} does not print", "Exchange {product} for a different size",
        "Return received but no confirmation",
    ]),
    "account": (2, [
        "Locked out after password reset", "Two-factor codes not arriving",
        "Cannot change the email address on the account", "Account closed without warning",
        "Suspicious login from another country", "Merge two accounts",
    ]),
    "product": (3, [
        "{product} stops working after the update", "{product} overheats when charging",
        "Warranty claim for {product}", "Manual missing for {product}",
    ]),
    "complaint": (3, [
        "Complaint about how my last call was handled", "Third time contacting you about {order}",
        "Formal complaint: promised call-back never came", "Want to speak to a manager",
    ]),
}  # fmt: skip
PRODUCTS = ["Aero 2 headphones", "Nimbus kettle", "Vela smart lamp", "Orbit robot vacuum",
            "Kite e-reader", "Halo doorbell", "Atlas standing desk",
            "Pico coffee grinder"]  # fmt: skip

INBOUND = {
    Channel.EMAIL: [
        "Hi, I'm writing about {order} again. {problem} Could someone please look at this today?",
        "Hello, {problem} I have attached the receipt. Kind regards, {first}",
        "This is my third email. {problem} I expect an answer, not another template.",
        "Dear support, {problem} Please call me back after 17:00 my time.",
    ],
    Channel.PHONE: [
        "Customer called: {problem} Wants a call-back tomorrow morning.",
        "Inbound call, {first} upset: {problem} Asked for a supervisor.",
        "Call: {problem} Verified identity with postcode and date of birth.",
    ],
    Channel.CHAT: [
        "chat: hi, {problem}", "chat: hello?? {problem} anyone there",
        "chat: {problem} can you check order {order} please",
    ],
    Channel.SOCIAL: [
        "Public reply on social: @support {problem} #notimpressed",
        "Direct message: {problem} Please don't make me call again.",
    ],
    Channel.IN_PERSON: ["Walk-in at the service desk: {problem} Brought the {product} along."],
    Channel.THIRD_PARTY: [
        "Bank notification: card dispute opened for {amount} on card ending {last4}, "
        "reason 'goods not received'. Evidence due by {date}.",
        "Carrier update: parcel {tracking} returned to depot, address incomplete.",
        "Payment provider: refund of {amount} failed, card ending {last4} expired.",
    ],
}  # fmt: skip
PROBLEMS = {
    "billing": "I was charged twice, {amount} each time, for order {order}.",
    "refunds": "the refund of {amount} you promised on {date} has not arrived.",
    "chargeback": "my bank says there is a dispute about {amount} and I did not open one.",
    "shipping": "parcel {tracking} has not moved for six days.",
    "returns": "I returned the {product} two weeks ago and heard nothing.",
    "account": "I cannot log in; the reset link says it has expired.",
    "product": "the {product} switches itself off after a few minutes.",
    "complaint": "nobody called me back although it was promised for {date}.",
}
OUTBOUND = [
    "Hi {first}, I'm sorry this has taken so long. I've checked {order} and {action} "
    "You'll hear from me by {date} at the latest. {rep}",
    "Hello {first}, thank you for your patience. {action} I'll keep this case open until "
    "you confirm everything is fine. Best regards, {rep}",
    "Called {first} back: explained that {action} Customer accepted, wants email confirmation.",
    "Left a voicemail for {first}: {action} Will try again tomorrow.",
]
ACTIONS = {
    "billing": "the duplicate charge of {amount} has been reversed today.",
    "refunds": "I have re-issued the refund of {amount}; banks take 3–5 working days.",
    "chargeback": "I've sent the delivery evidence to the payment provider for the dispute.",
    "shipping": "I've opened an investigation with the carrier for parcel {tracking}.",
    "returns": "the return was received and the refund is being processed.",
    "account": "I've unlocked the account and sent a fresh reset link valid for 24 hours.",
    "product": "a replacement {product} ships today, tracking to follow.",
    "complaint": "I've reviewed the previous calls and I'm taking ownership of this case.",
}
INTERNAL = [
    "Internal: checked payment logs, second charge is a pre-authorisation that was captured.",
    "Internal: warehouse confirms the parcel left on {date}.",
    "Internal: asked Resolution Team for approval of a goodwill credit of {amount}.",
    "Internal: customer has {cases} previous cases, mostly about delivery.",
]
KUDOS = "Thank you so much {rep}, you were the first person who actually fixed it!"

HANDOFF_SUMMARIES = [
    "{first} was charged twice for {order} ({amount}). Reversal requested, not yet visible.",
    "Parcel {tracking} stuck for a week; carrier investigation open, replacement offered.",
    "Locked out after reset; identity verified by phone, new link sent, not yet used.",
    "Card dispute for {amount}: evidence submitted to provider, decision pending.",
    "Third contact about {order}; customer is upset about missed call-backs.",
]
HANDOFF_DONE = [
    "Verified identity. Checked payment logs. Requested reversal of the duplicate charge.",
    "Opened carrier investigation, emailed the customer the case number.",
    "Unlocked account, sent reset link, confirmed email address on file.",
    "Uploaded proof of delivery and the signed receipt to the dispute portal.",
]
HANDOFF_NEXT = [
    "Check on {date} that the reversal is visible; if not, escalate to Payments.",
    "Call the customer with the carrier's answer.",
    "Confirm the customer can log in; close if yes.",
    "Watch the dispute portal for the provider's decision.",
]
HANDOFF_PROMISES = [
    "Call back {date} between 15:00 and 17:00 (customer's time)",
    "Email confirmation of the refund by {date}",
    "Replacement shipped by {date} with tracking",
]
HANDOFF_CONTINGENCIES = [
    "If the reversal is not visible by {date}, offer a goodwill credit of 10 and escalate.",
    "If the carrier cannot find the parcel, ship a replacement without waiting.",
    "If the customer calls angry, apologise first and read back the promised date.",
]
CONTACT_PREFERENCES = ["phone after 17:00", "email only", "mobile, mornings", "chat",
                       "phone, not before 10:00"]  # fmt: skip
MOOD_ORDER = [Mood.CALM, Mood.NEUTRAL, Mood.FRUSTRATED, Mood.ANGRY]
DIRECTIONS = [Direction.INBOUND, Direction.OUTBOUND, Direction.INTERNAL]
