"""Words for the demo data: invented people and plausible problems, written for Amends."""

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Catrin",
    "Dev",
    "Eilidh",
    "Femi",
    "Grace",
    "Harry",
    "Isla",
    "Jamal",
    "Kate",
    "Liam",
    "Maya",
    "Niall",
    "Olu",
    "Priya",
    "Quentin",
    "Rosa",
    "Sam",
    "Tariq",
    "Una",
    "Victor",
    "Wren",
    "Yusuf",
    "Zara",
    "Alun",
    "Bethan",
    "Callum",
    "Deepa",
    "Euan",
]
LAST_NAMES = [
    "Adams",
    "Begum",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "MacLeod",
    "Nowak",
    "O'Neill",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Thomas",
    "Udeh",
    "Vaughan",
    "Williams",
    "Young",
    "Zielinski",
    "Murray",
    "Kaur",
]
TOWNS = [
    ("Cardiff", "CF10"),
    ("Leeds", "LS1"),
    ("Glasgow", "G1"),
    ("Belfast", "BT1"),
    ("Bristol", "BS1"),
    ("Norwich", "NR1"),
    ("Inverness", "IV1"),
    ("Swansea", "SA1"),
    ("Manchester", "M1"),
    ("Derry", "BT48"),
    ("York", "YO1"),
    ("Exeter", "EX1"),
]
STREETS = [
    "High Street",
    "Church Road",
    "Mill Lane",
    "Station Road",
    "Park Avenue",
    "Victoria Street",
]
PRODUCTS = [
    "Home broadband",
    "Current account",
    "Energy tariff",
    "Mobile contract",
    "Home insurance",
    "Washing machine",
    "Online order",
    "Repairs service",
    "Credit card",
    "Water supply",
]
INTERNAL_DEPARTMENTS = ["Finance operations", "Warehouse", "IT service desk", "Field engineering"]

# category slug -> (journey stage, [(summary, customer's words, remedy sought)])
PROBLEMS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "billing-and-charges": (
        "billing",
        [
            (
                "Charged twice for the same month",
                "I have been charged twice for October. Both payments left my account on the 3rd "
                "and I am now overdrawn. I rang last week and was told it would be sorted in 48 "
                "hours but nothing has happened.",
                "Refund the duplicate payment and the overdraft charges it caused.",
            ),
            (
                "Bill far higher than usual",
                "My bill this quarter is nearly three times the usual amount. Nobody has read the "
                "meter since March, so I think this is an estimate. I cannot afford to pay it.",
                "Correct the bill using a real meter reading and set up a payment plan.",
            ),
            (
                "Cancellation fee I was never told about",
                "You have charged me a £95 early cancellation fee. When I signed up the adviser "
                "told me I could leave at any time. This was never mentioned.",
                "Remove the fee.",
            ),
        ],
    ),
    "delivery-and-timeliness": (
        "delivery",
        [
            (
                "Order not delivered after three weeks",
                "I ordered a fridge freezer on the 2nd and paid for next-day delivery. It is now "
                "three weeks later. Twice I took a day off work and nobody came.",
                "Deliver this week and refund the delivery charge and my lost earnings.",
            ),
            (
                "Engineer missed two appointments",
                "The engineer did not turn up on Tuesday or on Friday. Each time I waited in all "
                "day. I have no broadband and I work from home.",
                "A guaranteed appointment and compensation for the days without service.",
            ),
        ],
    ),
    "communication-breakdown": (
        "support",
        [
            (
                "Promised call-backs never came",
                "I have been promised a call back four times now. Each time I have to explain "
                "everything again from the start. Nobody seems to read the notes.",
                "One named person who calls me back when they say they will.",
            ),
            (
                "Letters sent to the wrong address",
                "I moved house in June and updated my address online. You are still sending "
                "letters with my account details to my old address.",
                "Update my address and confirm what was sent to the old one.",
            ),
        ],
    ),
    "product-failure": (
        "usage",
        [
            (
                "Washing machine leaking after a month",
                "The washing machine I bought five weeks ago leaks every time it runs the spin "
                "cycle. The kitchen floor is damaged.",
                "A replacement machine and the cost of repairing the floor.",
            ),
            (
                "Router keeps dropping the connection",
                "The new router drops the connection every evening. I have restarted it many "
                "times as your help page says. It is no better.",
                "A working router, or let me leave the contract without a fee.",
            ),
        ],
    ),
    "service-failure": (
        "usage",
        [
            (
                "Repair left the job half done",
                "Your contractor replaced the boiler part but left without testing it. The heating "
                "still does not work and there is a young baby in the house.",
                "Come back today and finish the repair properly.",
            ),
            (
                "Standing order cancelled by mistake",
                "You cancelled my rent standing order without being asked. My landlord has now "
                "charged me a late payment fee.",
                "Reinstate the standing order and pay the late fee.",
            ),
        ],
    ),
    "staff-conduct": (
        "support",
        [
            (
                "Rude and dismissive adviser",
                "The adviser on the phone talked over me, said it was my own fault, and put the "
                "phone down on me. I was very upset.",
                "An apology and for the call to be reviewed.",
            )
        ],
    ),
    "unmet-expectations": (
        "purchase",
        [
            (
                "Speed is much lower than sold",
                "I was sold a package promising 500Mb. I get 60Mb at best, even at night.",
                "Move me to a cheaper package or let me leave without a charge.",
            )
        ],
    ),
    "policy-and-terms": (
        "renewal_exit",
        [
            (
                "Claim refused on a technicality",
                "My claim was refused because the photo of the damage was taken a day after the "
                "leak. Nobody told me there was a time limit on photos.",
                "Reconsider the claim.",
            )
        ],
    ),
    "data-and-privacy": (
        "support",
        [
            (
                "My details were sent to someone else",
                "Another customer received my statement with my address and account number on it. "
                "They contacted me to tell me. I am worried about fraud.",
                "Tell me what happened and what you are doing to stop it happening again.",
            )
        ],
    ),
    "accessibility": (
        "onboarding",
        [
            (
                "Letters not provided in large print",
                "I am partially sighted and asked for letters in large print when I opened the "
                "account. Every letter still comes in standard print and I cannot read them.",
                "Large print letters from now on, and the recent letters resent.",
            )
        ],
    ),
}

QUERIES = [
    (
        "How do I update my direct debit?",
        "Can you tell me how to change the bank account my direct debit comes from?",
    ),
    ("When is my contract end date?", "Please could you let me know when my contract ends?"),
    (
        "Request for a copy of my statement",
        "I need a copy of my last three statements for my mortgage application.",
    ),
]
COMPLIMENTS = [
    (
        "Thank you to the engineer",
        "Just wanted to say the engineer who came on Monday was brilliant: polite, quick and tidy.",
    ),
]
SERVICE_REQUESTS = [
    (
        "Please move my payment date",
        "Could my payment date move from the 1st to the 15th to match my pay day?",
    ),
]

PAUSE_REASONS = [
    "Waiting for photos of the damage from the customer.",
    "Asked the customer for the dates of the missed appointments.",
    "Waiting for the customer to confirm their bank details.",
]
ROOT_CAUSES = [
    "Duplicate direct debit collection after the billing system migration on 1 October.",
    "Appointment slots were double-booked because the scheduling system did not sync.",
    "Case notes were not visible to the call-back team, so promises were not followed up.",
    "Meter reads were not being requested after a change of contractor.",
    "Address change online did not update the print system.",
]
RESOLUTIONS = [
    "Refunded the duplicate payment and £25 goodwill for the overdraft charges; apologised.",
    "Arranged a guaranteed appointment, refunded the delivery charge, and apologised.",
    "Corrected the bill with an actual meter read and agreed a six-month payment plan.",
    "Explained the decision in full; the terms were applied correctly and the charge stands.",
    "Replaced the faulty item and paid for the repair to the floor.",
]
NOTES = [
    "Checked the billing history: two collections on the 3rd, confirmed duplicate.",
    "Spoke to the field team; the engineer's van broke down and the customer was not told.",
    "Customer sounded very distressed on the phone; offered to call rather than write.",
    "Escalation requested by the customer after the second missed call-back.",
]
