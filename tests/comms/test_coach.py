"""The reply coach's nine checks, each with passing and failing replies, and whole replies."""

from __future__ import annotations

import pytest

from amends.comms.coach import CHECK_IDS, WEIGHTS, check_reply
from amends.comms.coach.text import sentences, stem, syllables

# Customers' messages, written for these tests in the manner of real complaints.
BILLING = (
    "I was charged twice for my October bill: £64.20 went out on 3 October and again on "
    "5 October. I rang your helpline twice and was promised a call back that never came. I am "
    "now overdrawn and my bank has charged me £25. I want the money back and the charges covered."
)
BROADBAND = (
    "My broadband has been cutting out every evening for three weeks. I work from home and "
    "have lost two days of work. Your engineer was booked for Tuesday but nobody turned up and "
    "nobody called to say why. I have been a customer for nine years and I am thinking of leaving."
)
PARCEL = (
    "My parcel with the birthday present for my daughter was marked as delivered on Saturday but "
    "it never arrived. The photo shows a door that is not mine. Your chat said to wait 48 hours, "
    "which I did, and now nobody replies."
)
MORTGAGE = (
    "I made my mortgage payment on time but your system recorded it as late and reported it to "
    "the credit reference agencies. My credit score dropped and my remortgage application was "
    "declined. I sent you my bank statement showing the payment left my account on the 1st."
)

IDENTITY = (
    "Someone stole my identity and opened accounts in my name. Those accounts now show on my "
    "credit report and I want them removed. I have sent the police report as proof."
)
CALLS = (
    "For two weeks your collections team has phoned me five times a day, on my mobile and at "
    "my job. You have no right to harass me at work and I want the calls to stop."
)


def result(reply: str, customer: str = BILLING, check: str = "") -> tuple[bool, str | None]:
    found = check_reply(reply, customer).check(check)
    return found.passed, found.evidence


# --- paraphrase ---------------------------------------------------------------------------------

PARAPHRASE_PASSES = [
    (
        BILLING,
        "You told us that £64.20 was taken twice for your October bill and that the call back "
        "you were promised never came.",
    ),
    (BILLING, "I understand that you were charged twice for October and are now overdrawn."),
    (
        BROADBAND,
        "You've explained that your broadband drops out every evening and that our engineer did "
        "not turn up on Tuesday.",
    ),
    (
        PARCEL,
        "From your message, the parcel was marked as delivered on Saturday but the photo shows "
        "someone else's door.",
    ),
    (
        MORTGAGE,
        "You made your mortgage payment on time, but our system recorded it as late and "
        "reported it to the credit reference agencies.",
    ),
    (MORTGAGE, "If I have understood correctly, the late payment marker cost you your remortgage."),
    (
        IDENTITY,
        "You've asked us to take accounts off your credit report that were opened by someone "
        "who stole your identity.",
    ),
    (
        CALLS,
        "You have been getting phone calls from our collections team at work, and you want "
        "them to stop.",
    ),
]
PARAPHRASE_FAILS = [
    (IDENTITY, "Thank you for contacting us regarding your credit report."),
    (IDENTITY, "We will remove the accounts from your credit report within 30 days."),
    (CALLS, "I understand your concern."),
    (CALLS, "We have stopped all calls to your number."),
    (BILLING, "I understand."),
    (BILLING, "I understand your concerns and I have looked into this."),
    (BROADBAND, "Thank you for contacting us about your recent experience with our service."),
    (PARCEL, "We will refund the parcel in full by Friday."),
    (MORTGAGE, "You told us about your problem."),
    (
        BILLING,
        "Our records show the direct debit collected as normal. We will send you a statement.",
    ),
]


@pytest.mark.parametrize(("customer", "reply"), PARAPHRASE_PASSES)
def test_paraphrase_passes_when_a_sentence_restates_the_customers_problem(
    customer: str, reply: str
) -> None:
    passed, evidence = result(f"Dear Sam,\n\n{reply}\n\nRegards", customer, "paraphrase")
    assert passed
    assert evidence == reply


@pytest.mark.parametrize(("customer", "reply"), PARAPHRASE_FAILS)
def test_paraphrase_fails_on_generic_acknowledgements_and_unrelated_sentences(
    customer: str, reply: str
) -> None:
    assert result(reply, customer, "paraphrase") == (False, None)


def test_paraphrase_without_a_customer_message_passes_only_on_an_explicit_restatement() -> None:
    restated = check_reply(
        "You told us that the engineer missed two appointments at your flat.", ""
    ).check("paraphrase")
    assert restated.passed
    assert "no customer message" in restated.advice
    bare = check_reply("We have refunded the payment.", "").check("paraphrase")
    assert not bare.passed
    assert "no customer message" in bare.advice


# --- empathy ------------------------------------------------------------------------------------

EMPATHY_PASSES = [
    "That must have been really stressful, especially with the bank charges on top.",
    "I can understand how frustrating it is to wait in for an engineer who never arrives.",
    "I can only imagine how upsetting it was to miss your daughter's birthday present.",
    "Your frustration is completely understandable.",
    "I know how important a working connection is when you work from home.",
    "I'm so sorry to hear about the trouble this has caused.",
    "This has clearly caused you a great deal of worry.",
    "I appreciate how disruptive this has been for you.",
    "It's been a really stressful few weeks for you, I know.",
    "What a horrible experience.",
    "I hear you.",
]
EMPATHY_FAILS = [
    "We have received your complaint.",
    "I understand.",
    "Please find our response below.",
    "The payment was taken on 3 October.",
    "I see that you called on Tuesday.",
    "I understand that the engineer visited on Monday.",
]


@pytest.mark.parametrize("reply", EMPATHY_PASSES)
def test_empathy_passes_when_the_reply_acknowledges_the_impact(reply: str) -> None:
    assert result(reply, check="empathy") == (True, reply)


@pytest.mark.parametrize("reply", EMPATHY_FAILS)
def test_empathy_fails_without_acknowledging_the_impact(reply: str) -> None:
    assert result(reply, check="empathy") == (False, None)


# --- apology ------------------------------------------------------------------------------------

APOLOGY_PASSES = [
    "I am sorry that we took the payment twice.",
    "We apologise for the missed appointment and for not calling you.",
    "I'm really sorry for the stress our mistake has caused.",
    "Please accept my sincere apologies for the delay.",
    "I sincerely apologise that nobody got back to you.",
    "We are so sorry.",
    "I owe you an apology: we should have called you back.",
    "My apologies for the confusion our letter caused.",
    "Apologies for the confusion.",
    "I want to apologise for how you were treated.",
]
APOLOGY_FAILS = [
    "We are sorry if you feel let down by our service.",
    "I'm sorry you feel that way.",
    "We regret any inconvenience this may have caused.",
    "We apologise for any inconvenience.",
    "Sorry if this caused any confusion.",
    "I'm sorry to hear about your experience.",
    "Thank you for your email.",
    "I am sorry, but we cannot refund the charge.",
    "I'm sorry you were disappointed with our decision.",
    "I am sorry that you have decided to complain.",
]


@pytest.mark.parametrize("reply", APOLOGY_PASSES)
def test_apology_passes_on_a_sincere_apology(reply: str) -> None:
    assert result(reply, check="apology") == (True, reply)


@pytest.mark.parametrize("reply", APOLOGY_FAILS)
def test_apology_fails_on_conditional_or_impersonal_apologies(reply: str) -> None:
    assert result(reply, check="apology") == (False, None)


def test_a_hedged_apology_gets_advice_to_own_it() -> None:
    advice = check_reply("We are sorry if you feel upset.", BILLING).check("apology").advice
    assert "sorry if you feel" in advice


# --- solution -----------------------------------------------------------------------------------

SOLUTION_PASSES = [
    "I have now reissued it, and it will reach your account by Friday.",
    "Your refund is now processed.",
    "I have refunded the second payment of £64.20 today.",
    "We will credit £25 to your account to cover the bank charges.",
    "Our engineer will replace the faulty router on his visit.",
    "The late payment marker has been removed from your credit file.",
    "We have asked the courier to collect a replacement and we have sent a new gift.",
    "You will receive a full refund of £89.99.",
    "I've cancelled the duplicate direct debit.",
    "We can offer you £50 as a goodwill payment.",
    "A new card is on its way to you.",
    "I've spoken to the courier and they are redelivering the parcel.",
]
SOLUTION_FAILS = [
    "We will look into this.",
    "I will investigate and get back to you.",
    "We will not refund the charge.",
    "We are unable to replace the item.",
    "Your complaint has been passed to the relevant team.",
    "We take all complaints seriously.",
    "I have escalated this to my manager.",
    "We have reviewed your account.",
    "As per our terms and conditions, refunds are processed within 30 days.",
    "I understand that your refund of £45 still hasn't arrived.",
]


@pytest.mark.parametrize("reply", SOLUTION_PASSES)
def test_solution_passes_on_a_concrete_action(reply: str) -> None:
    assert result(reply, check="solution") == (True, reply)


@pytest.mark.parametrize("reply", SOLUTION_FAILS)
def test_solution_fails_on_vague_or_refused_actions(reply: str) -> None:
    assert result(reply, check="solution") == (False, None)


# --- next steps, dated --------------------------------------------------------------------------

DATED_PASSES = [
    "I will call you by Friday to check the money has arrived.",
    "Our engineer will visit on 3 December between 8am and 1pm.",
    "You will receive the refund within 5 working days.",
    "We'll write to you with our decision by the end of next week.",
    "Your new router is booked for delivery on Tuesday.",
    "I will email you tomorrow with the corrected bill.",
    "The team will update your credit file within two working days.",
    "I'll ring you on 12/12/2026 at 10am.",
    "Expect the refund in your account within 3-5 working days.",
    "Your engineer, Dave, will come on Wednesday morning.",
]
DATED_FAILS = [
    "We will be in touch as soon as possible.",
    "I will call you shortly.",
    "Our engineer will visit in due course.",
    "The payment was taken on 3 December.",
    "We will update you.",
    "We will not be able to visit before Friday.",
    "Please reply by Friday.",
]


@pytest.mark.parametrize("reply", DATED_PASSES)
def test_next_steps_dated_passes_when_someone_acts_by_a_date(reply: str) -> None:
    assert result(reply, check="next_steps_dated") == (True, reply)


@pytest.mark.parametrize("reply", DATED_FAILS)
def test_next_steps_dated_fails_without_an_actor_and_a_date(reply: str) -> None:
    assert result(reply, check="next_steps_dated") == (False, None)


def test_a_vague_promise_gets_advice_to_give_a_date() -> None:
    advice = check_reply("We will call you as soon as possible.").check("next_steps_dated").advice
    assert "as soon as possible" in advice


# --- thanks -------------------------------------------------------------------------------------

THANKS_PASSES = [
    "Thank you for getting in touch.",
    "Thanks for your patience while we looked into this.",
    "Many thanks for letting us know.",
    "I really appreciate you taking the time to explain what happened.",
    "We are grateful to you for raising this.",
    "Thank you.",
]
THANKS_FAILS = [
    "Thanks to the delay, your payment was late.",
    "This happened thanks to a fault in our system.",
    "No thanks to our courier, the parcel was lost.",
    "We received your email on Monday.",
    "Thanks to our new system, bills are now clearer.",
]


@pytest.mark.parametrize("reply", THANKS_PASSES)
def test_thanks_passes_when_the_customer_is_thanked(reply: str) -> None:
    assert result(reply, check="thanks") == (True, reply)


@pytest.mark.parametrize("reply", THANKS_FAILS)
def test_thanks_fails_on_thanks_to_and_no_thanks(reply: str) -> None:
    assert result(reply, check="thanks") == (False, None)


# --- plain language -----------------------------------------------------------------------------

PLAIN_PASSES = [
    "I have refunded the £64.20. You will see it in your account by Friday. Thank you for "
    "your patience.",
    "Our engineer found a fault on the line outside your home. He fixed it this morning. I will "
    "call you on Monday to check your broadband is working.",
    "We pay £5 per month towards the cost while the repair is done.",
]
PLAIN_FAILS = [
    ("Pursuant to our terms, the charge stands.", "Pursuant to our terms, the charge stands."),
    ("As per our records, the payment was late.", "As per our records, the payment was late."),
    (
        "Your support ticket has been escalated. It is now with tier 2.",
        "Your support ticket has been escalated.",
    ),
    ("We aim to meet our SLA for every case.", "We aim to meet our SLA for every case."),
    (
        "Following a comprehensive investigation into the circumstances surrounding the "
        "administration of your account, including the examination of correspondence, telephony "
        "recordings and transactional information, we have determined that the organisation's "
        "processes were, in the main, followed appropriately. Thank you.",
        "Following a comprehensive investigation into the circumstances surrounding the "
        "administration of your account, including the examination of correspondence, telephony "
        "recordings and transactional information, we have determined that the organisation's "
        "processes were, in the main, followed appropriately.",
    ),
    (
        "Consideration of remuneration necessitates authorisation. Unsubstantiated "
        "reimbursement applications are categorically inadmissible.",
        "Unsubstantiated reimbursement applications are categorically inadmissible.",
    ),
]


@pytest.mark.parametrize("reply", PLAIN_PASSES)
def test_plain_language_passes_on_short_everyday_sentences(reply: str) -> None:
    found = check_reply(reply, BILLING).check("plain_language")
    assert found.passed
    assert found.evidence is None
    assert "reading ease" in found.advice


@pytest.mark.parametrize(("reply", "worst"), PLAIN_FAILS)
def test_plain_language_fails_on_jargon_long_or_hard_sentences_naming_the_worst(
    reply: str, worst: str
) -> None:
    assert result(reply, check="plain_language") == (False, worst)


# --- no blame -----------------------------------------------------------------------------------

BLAME_FAILS = [
    "You should have checked your statement before contacting us.",
    "You failed to tell us you had moved house.",
    "As you were told on the phone, the form must be signed.",
    "This was your mistake, not ours.",
    "You did not read the terms and conditions.",
    "If you had read our email, you would have known.",
    "The delay was caused by your failure to return the form.",
    "You were supposed to keep the receipt.",
    "Had you contacted us earlier, this could have been avoided.",
    "The error was yours.",
    "It's your responsibility to update your address.",
]
BLAME_PASSES = [
    "You should have received a letter from us by now, and I am sorry it has not arrived.",
    "You should have been told about the fee, and you were not.",
    "I understand you did not receive our email.",
    "We failed to call you back.",
    "It was our mistake, not yours.",
    "You've done nothing wrong here.",
    "I appreciate you would have liked a quicker response.",
]


@pytest.mark.parametrize("reply", BLAME_FAILS)
def test_no_blame_fails_when_the_reply_blames_the_customer(reply: str) -> None:
    assert result(f"Thank you for your email. {reply}", check="no_blame") == (False, reply)


@pytest.mark.parametrize("reply", BLAME_PASSES)
def test_no_blame_passes_when_the_reply_owns_the_fault(reply: str) -> None:
    assert result(reply, check="no_blame") == (True, None)


# --- tone ---------------------------------------------------------------------------------------

TONE_FAILS = [
    "As per our terms and conditions, refunds take 30 days.",
    "Our terms clearly state that delivery dates are estimates.",
    "As previously stated, the charge is correct.",
    "Per my last email, we will not be refunding you.",
    "Unfortunately there is nothing more we can do.",
    "Company policy does not allow refunds after 14 days.",
    "We cannot be held responsible for your bank's charges.",
    "Please calm down so we can discuss this.",
    "With all due respect, that is not what happened.",
    "As I have already explained, the engineer attended.",
    "We do not accept any liability for the delay.",
    "As stated in my previous email, no refund is due.",
    "That's simply not true.",
    "I'm afraid that's just how it is.",
]
TONE_PASSES = [
    "As we discussed on the phone, I have booked the engineer for Tuesday.",
    "Our policy is to refund within 14 days, so I have refunded you today.",
    "I will make sure this does not happen again.",
    "Here is what I have done to put this right.",
    "I'm afraid the parcel was lost, so I have sent a new one.",
]


@pytest.mark.parametrize("reply", TONE_FAILS)
def test_tone_fails_on_defensive_or_dismissive_phrasing(reply: str) -> None:
    assert result(f"Dear Sam,\n\n{reply}", check="tone") == (False, reply)


@pytest.mark.parametrize("reply", TONE_PASSES)
def test_tone_passes_on_open_phrasing(reply: str) -> None:
    assert result(reply, check="tone") == (True, None)


# --- whole replies ------------------------------------------------------------------------------

GOOD_REPLY = """Dear Ms Patel,

Thank you for your email about your October bill.

You told us that £64.20 was taken twice, on 3 and 5 October, and that the call back you were
promised never came. That must have been stressful, especially as it left you overdrawn. I am
sorry that we took the payment twice and did not call you back.

I have refunded the second payment of £64.20 today. We will also pay £25 towards your bank
charges. You will see both amounts in your account within 3 working days.

I will call you on Friday 7 November to check the money has arrived.

Kind regards,
Sam Okafor
Customer Relations"""

DEFENSIVE_REPLY = """Dear Customer,

As previously stated, our records show that the payment was taken in line with your direct
debit. You should have checked your statement before contacting us. We regret any inconvenience
this may have caused. Unfortunately there is nothing further we can do, and company policy does
not allow refunds of this kind. We cannot be held responsible for charges applied by your bank.

Regards"""

BROADBAND_REPLY = """Hi Mr Evans,

Thanks for your patience, and for being with us for nine years.

I understand that your broadband has been cutting out every evening for three weeks and that our
engineer did not turn up on Tuesday. I know how much you rely on it to work from home, and I'm
sorry we let you down.

I have booked a senior engineer for Thursday 4 December between 8am and 1pm, and I have added a
£30 credit to your account for the lost service. I will call you on Thursday afternoon to make
sure everything is working.

Best wishes,
Priya"""


def test_a_good_leap_reply_passes_every_check_and_scores_100() -> None:
    report = check_reply(GOOD_REPLY, BILLING)
    assert [c.id for c in report.checks if not c.passed] == []
    assert report.score == 100


def test_another_well_written_reply_scores_high() -> None:
    report = check_reply(BROADBAND_REPLY, BROADBAND)
    assert report.score >= 90, [c for c in report.checks if not c.passed]


def test_a_defensive_reply_scores_low_and_names_the_offending_sentences() -> None:
    report = check_reply(DEFENSIVE_REPLY, BILLING)
    assert report.score <= 25
    assert not report.check("no_blame").passed
    assert report.check("no_blame").evidence == (
        "You should have checked your statement before contacting us."
    )
    assert not report.check("tone").passed
    assert not report.check("apology").passed


def test_blame_or_a_defensive_tone_caps_the_score_at_50() -> None:
    report = check_reply(GOOD_REPLY + "\n\nYou should have called us sooner.", BILLING)
    assert report.score == 50


def test_the_report_has_the_nine_checks_in_order_and_a_score_from_0_to_100() -> None:
    for reply in ("", "Hi", GOOD_REPLY, DEFENSIVE_REPLY, BROADBAND_REPLY):
        report = check_reply(reply, BILLING)
        assert tuple(c.id for c in report.checks) == CHECK_IDS
        assert 0 <= report.score <= 100
        assert report.score == min(
            sum(WEIGHTS[c.id] for c in report.checks if c.passed),
            100 if report.check("no_blame").passed and report.check("tone").passed else 50,
        )
    assert sum(WEIGHTS.values()) == 100


def test_the_report_is_deterministic_and_serialisable() -> None:
    first = check_reply(BROADBAND_REPLY, BROADBAND).as_dict()
    assert check_reply(BROADBAND_REPLY, BROADBAND).as_dict() == first
    assert set(first) == {"score", "checks"}
    assert set(first["checks"][0]) == {"id", "passed", "evidence", "advice"}


def test_evidence_is_a_sentence_of_the_draft() -> None:
    drafted = sentences(GOOD_REPLY)
    for check in check_reply(GOOD_REPLY, BILLING).checks:
        assert check.evidence is None or check.evidence in drafted


# --- text primitives ----------------------------------------------------------------------------


def test_sentences_keep_titles_and_hard_wrapped_lines_together() -> None:
    text = "Dear Mr. Jones,\n\nI spoke to Dr. Shah today. She will call you\nby Friday. Thanks!"
    assert sentences(text) == [
        "Dear Mr. Jones,",
        "I spoke to Dr. Shah today.",
        "She will call you by Friday.",
        "Thanks!",
    ]


def test_stems_meet_across_word_forms() -> None:
    assert stem("charged") == stem("charges") == stem("charging") == stem("charge")
    assert stem("cancelled") == stem("cancel")
    assert stem("deliveries") == stem("delivery")


def test_syllables_count_short_and_long_words() -> None:
    assert syllables("the") == 1
    assert syllables("payment") == 2
    assert syllables("responsibility") >= 5
    assert syllables("2026") == 1
