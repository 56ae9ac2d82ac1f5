# ruff: noqa: E501 (a phrase family reads best as one alternation per line)
"""The reply coach's phrase families, compiled once at import.

Each family is a regular expression over a sentence in lower case with straight apostrophes.
They match families of phrasing (any subject, any intensifier, British and American spelling),
not single examples; the tests hold passing and failing variants for each.
"""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# Who acts: the writer, the organisation, or a named person or team on its side.
_WE = r"(?:i|we|our (?:\w+ ){0,2}(?:team|engineers?|technicians?|manager|department|staff|specialists?|colleagues?|advisers?|advisors?|courier|partner)|the (?:\w+ )?team|my colleague(?: \w+)?|[a-z]+ from (?:our|the) \w+ team)"
_WILL = r"(?:will|'ll|shall|am going to|are going to|is going to|aim to|expect to|plan to|intend to|have arranged to|have asked \w+ to|am arranging to|are arranging to)"
_INTENS = r"(?:so |very |truly |really |deeply |genuinely |sincerely |extremely |terribly |incredibly |most )*"
_NEG = re.compile(r"\b(?:not|n't|never|no longer|unable|cannot)\b")

_FEEL = r"(?:frustrating|stressful|upsetting|worrying|distressing|disappointing|difficult|hard|awful|horrible|terrible|exhausting|infuriating|maddening|annoying|inconvenient|unsettling|alarming|confusing|frightening|scary|a (?:\w+ )?(?:worry|ordeal|struggle|nightmare|shock|strain|blow))"

# --- empathy ------------------------------------------------------------------------------------
EMPATHY = _rx(
    r"\bi (?:can |do |completely |fully |totally |really |truly )*(?:understand|appreciate|see|imagine|recognise|recognize) (?:how|why|just how|what|that this|that you (?:have|'ve|were|are|must|feel|felt)|that it|the (?:stress|worry|distress|frustration|impact|inconvenience|upset|anxiety|disruption)|your (?:frustration|concern|disappointment|anger|worry|upset|distress|annoyance)|this (?:has|must|was|is))",
    r"\bwe (?:completely |fully |really |truly )?(?:understand|appreciate|recognise|recognize) (?:how|why|just how|the (?:stress|worry|distress|frustration|impact|upset)|your (?:frustration|concern|disappointment|worry|upset|distress))",
    r"\b(?:must|will|would) have (?:been|felt|caused you) (?:\w+ )?(?:frustrating|stressful|upsetting|worrying|distressing|difficult|disappointing|annoying|maddening|exhausting|inconvenient|awful|horrible|a (?:worry|shock|nuisance)|a lot of|real|considerable|unsettling|alarming|confusing|anxious|hard)",
    r"\b(?:that|this|it) (?:is|was|sounds|has been|must be|must have been|would be) (?:\w+ )?(?:frustrating|stressful|upsetting|worrying|distressing|disappointing|unacceptable|not good enough|not the service|awful|difficult|a (?:worrying|stressful|difficult|frustrating|horrible) )",
    r"\b(?:i'm|i am|we're|we are) (?:so |very |really |truly )?sorry to (?:hear|learn|read)",
    r"\bhow (?:frustrating|stressful|upsetting|worrying|distressing|disappointing|difficult|inconvenient) (?:this|that|it) (?:has|must|was|is)",
    r"\b(?:your|the) (?:frustration|disappointment|upset|distress|anxiety|worry|anger) (?:is|was) (?:completely |entirely |totally |fully )?(?:understandable|justified|natural|reasonable)",
    r"\b(?:understandably|it is understandable|it's understandable|quite rightly|rightly so|you have every right|you had every right|anyone would (?:be|feel)|i would (?:feel|be) (?:the same|just as|exactly)|i'd (?:feel|be) (?:the same|just as))",
    r"\b(?:this|it|that|our \w+) (?:has|have|will have|must have|has really|has clearly) (?:\w+ )?(?:caused|put|given) you (?:\w+ ){0,4}?(?:stress|worry|distress|upset|inconvenience|anxiety|difficulty|trouble|through|hassle|frustration|disruption)",
    r"\b(?:i|we) know (?:how|that this|this) (?:\w+ )?(?:frustrating|stressful|upsetting|worrying|important|difficult|much)",
    r"\bi(?: can| do)? hear (?:how|that|your)",
    r"\bi (?:can't|cannot|can only) imagine\b|\bi hear you\b|\bthe last thing (?:anyone|you|any of us) (?:needs|needed|wants|wanted)\b|\bno one should have to\b|\bnobody should have to\b",
    rf"\b(?:this|that|it|which|what|these|the last few \w+) (?:\w+ ){{0,2}}(?:is|was|were|has been|have been|must have been|must be|sounds|seems|would be|will have been) (?:\w+ ){{0,3}}?{_FEEL}",
    rf"\bwhat an? (?:\w+ )?(?:{_FEEL}|experience|ordeal|time)",
    r"\b(?:i|we) (?:\w+ )?(?:understand|appreciate|realise|realize|recognise|recognize|know) (?:that )?(?:this|it|the situation|this situation|the last few \w+) (?:has|must|was|is|have)",
    r"\b(?:i|we) (?:\w+ )?(?:realise|realize) (?:how|just how|what)",
    r"\bthat (?:can't|cannot|must not|mustn't) have been (?:easy|pleasant|nice)",
)

# --- apology ------------------------------------------------------------------------------------
APOLOGY = _rx(
    rf"\b(?:i|we) (?:am|are|'m|'re) {_INTENS}sorry (?:that|for|about|we|i|our|this|the|it|you (?:have|had|were|did|didn't|weren't|received|got|haven't))",
    rf"\b(?:i|we) (?:am|are|'m|'re) {_INTENS}sorry\s*[.!]",
    r"\b(?:i|we) (?:\w+ ){0,3}apologi[sz]e\b",
    r"(?:^|[,;:] )(?:\w+ )?apologies (?:for|that|again|to you)|^(?:my |our )?(?:sincere |deepest |unreserved )?apologies\b",
    r"\bplease accept (?:my|our) (?:\w+ )?(?:\w+ )?apolog",
    r"\b(?:my|our) (?:\w+ )?(?:\w+ )?apologies (?:for|that|to you|again)",
    r"\b(?:i|we) owe you an apology",
    r"\bi(?:'m| am) (?:so |very |really |truly )?sorry,? (?:we|i|this|our)",
    r"^(?:so |very |really |truly )?sorry (?:for|that|about) (?:the|our|this|not|we|my)",
    r"\b(?:an|our|my) (?:sincere |unreserved |full )?apology (?:for|to you)",
)
NON_APOLOGY = _rx(
    r"\bsorry (?:if|that|whether) you (?:feel|felt|think|thought|believe|perceive|were (?:upset|offended|unhappy)|are (?:upset|unhappy|offended)|have (?:been left feeling|felt))",
    r"\bsorry you (?:feel|felt|think|thought|believe|see it|perceive|are upset|were upset|are unhappy|were unhappy|took)",
    r"\bsorry if (?:this|that|it|any|we|our|there)",
    r"\bapologi[sz]e (?:if|for any|for whatever|should)",
    r"\b(?:not|never|no need to|nothing to) (?:\w+ )?(?:sorry|apologi)",
    r"\bsorry (?:that )?you (?:are|were|have been|feel|felt) (?:\w+ )?(?:disappointed|unhappy|upset|dissatisfied|offended|not happy|not satisfied|frustrated)",
    r"\bsorry (?:that )?you (?:have |had )?(?:decided|chosen|felt the need|feel the need|found it necessary|needed to complain)",
    r"\b(?:regret|sorry for|apologi[sz]e for|apologies for) any (?:inconvenience|upset|distress|trouble|confusion|frustration)",
    r"\b(?:inconvenience|upset|distress) (?:this|that|which) (?:may|might|could) have caused",
    r"\bsorry for your (?:feelings|perception)",
    r"\bsorry,? but\b",
    r"\bsorry (?:to hear|to learn|to read)",
)

# --- solution -----------------------------------------------------------------------------------
_ACTION = (
    r"(?:refund\w*|credit\w*|cancel\w*|correct\w*|fix\w*|replac\w*|revers\w*|remov\w*|amend\w*|"
    r"arrang\w*|book\w*|(?:sent|send\w*|post\w*|resen\w*|re-sen\w*) (?:you |out |off )?(?:a |an |the |your |you a |you an )?(?:full |new |replacement |corrected |revised |prepaid |free )?(?:replacement|new|refund|cheque|voucher|credit|payment|gift|code|returns? label|engineer|technician|part|item|order|parcel|card|bill|statement|invoice|meter|router|\u00a3|\$|\d)\w*|issu\w*|paid|pay\w*|reinstat\w*|restor\w*|"
    r"re-?issu\w*|re-?credit\w*|re-?pa(?:y|id)\w*|re-?instat\w*|re-?fund\w*|re-?process\w*|"
    r"waiv\w*|writ\w* off|wrote off|reimburs\w*|compensat\w*|repair\w*|resend\w*|re-?sen\w*|"
    r"deliver\w*|collect\w*|exchang\w*|reconnect\w*|unblock\w*|unfreez\w*|reopen\w*|"
    r"reactivat\w*|activat\w*|updat\w*|chang\w*|adjust\w*|rebook\w*|dispatch\w*|ship\w*|"
    r"add\w*|appl(?:y|ied|ying)|process\w*|transfer\w*|return\w*|releas\w*|clear\w*|stop\w*|"
    r"visit\w*|install\w*|reset\w*|recalculat\w*|rebat\w*|offer\w*|"
    r"put (?:this|things|it|that|matters) right|put a (?:stop|block|hold) on|re-?deliver\w*|"
    r"put right|made a payment|schedul\w*|"
    r"contact\w* (?:the|our) (?:courier|supplier|bank|retailer|landlord|contractor|engineer)\w*)"
)
_OFFER = r"(?:can|could now|would like to|'d like to|am happy to|are happy to|would be happy to|have decided to|have agreed to|agreed to|want to|have been able to|were able to|was able to)"
SOLUTION = _rx(
    rf"\b{_WE} (?:have|'ve|has) (?:now |already |just |today |also |since |personally )*{_ACTION}",
    rf"\b{_WE} {_WILL} (?:now |also |personally |immediately |then )?{_ACTION}",
    rf"\b{_WE} {_OFFER} (?:now |also |immediately )?{_ACTION}",
    rf"\b(?:who|they|he|she) (?:will|'ll|have|'ve|has|is going to|are going to) (?:now |also |then )?{_ACTION}",
    rf"\b{_WE} (?:am|are|is|'m|'re) (?:now |also |currently )?(?:refunding|crediting|cancell?ing|correcting|fixing|replacing|reversing|removing|arranging|booking|sending|issuing|paying|reinstating|restoring|waiving|reimbursing|repairing|processing|dispatching|updating|amending|adjusting|writing off|redelivering|delivering|resending|collecting|returning|exchanging|reconnecting|visiting|installing|transferring)\b",
    r"\b(?:they|he|she|who) (?:am|are|is) (?:now |also |currently )?(?:refunding|crediting|cancell?ing|correcting|fixing|replacing|reversing|removing|arranging|sending|issuing|paying|repairing|processing|dispatching|redelivering|delivering|resending|collecting|reconnecting|visiting|installing)\b",
    # "is/are" only with a sign that it is happening now: "refunds are processed within 30 days"
    # states a policy, "your refund is now processed" is an action.
    r"\b(?:(?:has|have|had|will have) (?:now |already |just |also )*been|(?:will be|will now be)(?: now| already| just| also| being| currently)*|(?:is|are)(?: now| already| just| also| being| currently)+) (?:refunded|credited|cancelled|canceled|corrected|fixed|replaced|reversed|removed|reinstated|restored|waived|written off|reimbursed|repaired|resent|re-sent|dispatched|booked|arranged|reconnected|unblocked|reopened|reactivated|issued|paid|applied|processed|approved|returned|released|updated|amended|adjusted|recalculated)\b",
    # An offer ("a refund of £40"), not the customer's own missing payment ("your refund of £45").
    r"\b(?:a|full) (?:full |partial )?(?:refund|credit|replacement|goodwill (?:payment|gesture)|compensation payment|payment) of (?:\u00a3|\$|\u20ac)?\d",
    r"\byou (?:will|'ll|should) (?:now |also |then )?(?:receive|get|see|have) (?:a |an |the |your |this )?(?:full |partial |new |corrected |revised |replacement )?(?:refund|credit|replacement|payment|compensation|cheque|new|corrected|revised|goodwill|repair|\u00a3|\$|\d)",
    r"\b(?:was|were) (?:then |later |since |also )?(?:refunded|credited|reversed|corrected|fixed|replaced|reinstated|restored|waived|written off|reimbursed|repaired|reconnected|unblocked)\b",
    r"\b(?:is|are) (?:now |already )?on (?:its|their|his|her) way(?: to you)?\b",
    r"\b(?:\u00a3|\$|\u20ac)\d[\d,.]* (?:has|have|will|is|was) (?:been |be )?(?:refunded|credited|paid|returned|added|transferred|sent)",
)

# --- next steps, dated --------------------------------------------------------------------------
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri)"
)
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
_NUMBERS = r"(?:\d{1,3}(?: ?(?:-|to|or|\u2013) ?\d{1,3})?|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|twenty|thirty|a couple of|a few)"
WHEN = _rx(
    rf"\b(?:by|on|before|this|next|until|from|this coming|no later than|at the latest on|each|every) (?:the )?{_WEEKDAY}\b",
    rf"\b{_WEEKDAY} \d{{1,2}}(?:st|nd|rd|th)?\b",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}\b",
    rf"\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b",
    r"\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b",
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"\b(?:within|in|in the next|over the next|during the next|inside) {_NUMBERS} (?:working |business |calendar |clear )?(?:hours?|days?|weeks?)\b",
    r"\b(?:today|tomorrow|tonight|this (?:morning|afternoon|evening|week)|end of (?:the |this |next )?(?:day|week|month)|close of business|next week|the week (?:beginning|commencing|of)|w/?c \d)",
    r"\b(?:by|at|before|after|between) \d{1,2}(?::\d{2})? ?(?:am|pm|a\.m\.|p\.m\.)",
    r"\b\d{1,2}(?::\d{2})? ?(?:am|pm) (?:and|to|-) \d{1,2}",
)
VAGUE_WHEN = re.compile(
    r"\b(?:as soon as (?:possible|we can|i can)|asap|shortly|in due course|soon|at some point|"
    r"when (?:we|i) can|in the near future|in the coming (?:days|weeks)|at a later date)\b"
)
DATED_ACTOR = _rx(
    rf"\b{_WE} {_WILL}\b",
    r"\b(?:i|we|he|she|they|[a-z]+) (?:will|'ll) (?:be )?(?:call|ring|phone|email|write|visit|contact|update|send|confirm|arrive|attend|come)",
    r"\b(?:is|are|has been|have been|was) (?:now )?(?:booked|scheduled|arranged|due|set) (?:for|to|on)\b",
    r"\byou (?:will|'ll|should) (?:receive|get|see|hear|have)\b",
    r"\b(?:expect|look out for) (?:to hear|a call|an email|a letter|the|your|it)",
    r"\b(?:your|the|a) (?:\w+ )?(?:engineer|technician|courier|refund|replacement|payment|credit|call|visit|delivery|letter|response|decision|update) (?:will|is due to|should) (?:arrive|reach|be|call|visit|come|appear|show|follow)",
    r"\b(?:i|we) (?:will|'ll) (?:\w+ )?(?:back|update|contact|call|write|email|let you know|confirm)",
    r"\b[a-z]+,? (?:will|is going to|are going to) (?:\w+ )?(?:come|call|visit|arrive|be with you|contact|send|deliver|collect|fit|install|repair|fix|replace|refund|credit|pay|reach|update|write|email|ring|phone|confirm|process|complete|arrange|book|return|be in touch)\b",
)

# --- thanks -------------------------------------------------------------------------------------
THANKS = _rx(
    r"\bthank(?:s| you)\b(?! to\b)(?! for nothing\b)",
    r"\bmany thanks\b",
    r"\b(?:i|we) (?:really |do |very much |truly |greatly )?appreciate (?:you|your) (?:taking|bringing|getting|letting|telling|raising|contacting|writing|patience|feedback|time|help|understanding|being|sharing|making|giving|explaining|reaching|coming|flagging|reporting)",
    r"\b(?:i|we) (?:am|are|'m|'re) (?:very |really |truly )?grateful (?:for|to you|that you)",
    r"\b(?:your|thank you for your) (?:patience|understanding) (?:is|has been) (?:much |greatly |really )?appreciated",
    r"\bappreciated? your (?:patience|understanding|feedback|help|time)",
)
NOT_THANKS = re.compile(r"\bno thanks\b|\bthanks to\b|\bthank(?:s| you) for nothing\b")

# --- no blame -----------------------------------------------------------------------------------
_DUTY = (
    r"(?:read|follow\w*|check\w*|provid\w*|tell|told|inform\w*|notif\w*|contact\w*|call\w*|"
    r"notic\w*|understand|pay\w* attention|supply|supplied|keep|kept|update\w*|return\w*|"
    r"submit\w*|complet\w*|fill\w* in|ask\w*|listen\w*|look\w*|review\w*|cancel\w*|report\w*|"
    r"register\w*|use|used|lock\w*|secure\w*|chang\w*|bother\w*|realis\w*|realiz\w*|"
    r"take|took|make|made|send|sent|respond\w*|repl\w*|act\w*|do|did|know|known)"
)
BLAME = _rx(
    r"\byou (?:really |clearly |obviously )?(?:should|ought to) (?:have|'ve) (?!been\b|received\b|got\b|had\b|heard\b|seen\b|expected\b)",
    r"\byou should've (?!been\b|received\b|got\b|had\b|heard\b|seen\b)",
    r"\byou (?:have |had )?(?:failed|neglected|omitted|forgot|forgotten|chose|decided not|refused) to\b",
    r"\b(?:as|like) you (?:were|had been|have been) (?:clearly |already |previously )?(?:told|advised|informed|warned|instructed|shown)",
    r"\byour (?:own )?(?:mistake|error|fault|oversight|negligence|carelessness|failure|misunderstanding|responsibility to)\b",
    rf"\byou (?:did not|didn't|have not|haven't|do not|don't|never|had not|hadn't) (?:bother to |even |actually |properly |carefully |fully )?{_DUTY}\b(?! (?:from|by) (?:us|our))",
    r"\b(?:if|had) you (?:had )?(?:only |just |actually |properly )?(?:read|follow\w*|check\w*|provid\w*|told|contact\w*|listen\w*|paid attention|looked|submitted|returned|called|done)",
    r"\byou (?:were|are) (?:supposed|meant|required|obliged|expected) to\b",
    r"\b(?:it is|it's|it was|this is|this was) (?:the customer's|your|entirely your|solely your|clearly your) (?:own )?(?:responsibility|fault|job|problem|duty|mistake|choice)",
    r"\b(?:due to|because of|caused by|result of) (?:your|the customer's) (?:own )?(?:failure|error|mistake|negligence|delay|carelessness|actions|misunderstanding|oversight)",
    r"\b(?:caused|created) by you\b|\byou (?:have )?only (?:have )?yourself to blame\b|\bthe (?:fault|blame|responsibility) (?:lies|lay|rests|is|was) (?:entirely |solely )?(?:with you|yours)",
    r"\byou (?:clearly |obviously )?(?:misunderstood|misread|ignored|disregarded|overlooked|misinterpreted)\b",
    r"\byou must (?:have|'ve) (?:\w+ )?(?:entered|typed|made|done|clicked|misread|misunderstood|forgotten|deleted|given)",
    r"\bthe customer (?:failed|should have|did not|didn't)\b",
    r"\bthe (?:error|mistake|fault|blame|oversight) (?:was|is|lies|lay|rests) (?:entirely |solely |clearly |all )?(?:yours|with you|on you|on your side)\b",
)

# --- tone ---------------------------------------------------------------------------------------
DEFENSIVE = _rx(
    r"\bas (?:i|we) (?:have |had )?(?:already |previously |clearly |repeatedly )(?:stated|mentioned|explained|said|advised|outlined|informed you|told you|pointed out|made clear|noted)\b",
    r"\bas (?:i|we) (?:have |had )?(?:stated|said|pointed out|made clear|told you|informed you|advised you)\b",
    r"\bas (?:has|had) (?:already |previously |clearly )?been (?:stated|explained|mentioned|pointed out|made clear)\b",
    r"\bas previously\b|\bas already\b|\bas stated previously\b",
    r"\bas (?:stated|explained|mentioned|outlined|set out|advised) (?:in|on|during) (?:my|our) (?:previous|last|earlier|prior)",
    r"\b(?:as )?per my (?:last|previous|earlier|prior) (?:email|message|letter|reply|response|call|note)",
    r"\b(?:unfortunately,? )?there (?:is|was) (?:really )?nothing (?:more |else |further )?(?:that )?(?:we|i|anyone) (?:can|could|are able to|am able to) do\b",
    r"\bnothing (?:more |else |further )?(?:that )?(?:we|i) can do\b",
    r"\bcompany policy\b|\bour policy (?:clearly |simply )?(?:states|does not allow|doesn't allow|prevents|forbids|is (?:clear|very clear))",
    r"\b(?:we|i|the company|[a-z]+ (?:ltd|plc|limited)) (?:cannot|can't|can not|will not|won't|do not|don't|does not|doesn't) (?:be held |accept (?:any )?|take (?:any )?)?(?:responsible|liable|accountable|responsibility|liability)",
    r"\b(?:not|is not|isn't) (?:our|my) (?:problem|fault|responsibility|concern|issue)\b",
    r"\bcalm down\b|\bwith (?:all )?due respect\b|\bto be (?:perfectly )?(?:honest|frank)\b|\bfrankly\b|\bquite frankly\b",
    r"\bthere is no need to (?:shout|be rude|raise your voice|take that tone|use that language)",
    r"\b(?:you are|you're|you were) (?:simply |completely |quite )?(?:wrong|mistaken|incorrect|confused|overreacting|being unreasonable)",
    r"\bthat(?:'s| is) (?:simply |just )?(?:not (?:true|the case|correct)|untrue|false)\b|\bsimply not (?:true|the case)\b",
    r"\b(?:we|i) (?:have done|did) nothing wrong\b|\b(?:we|i) (?:stand|stood) by (?:our|the|my) (?:decision|position)",
    r"\b(?:this|the) matter is (?:now )?closed\b|\b(?:no|any) further correspondence\b|\bwe will not (?:be )?(?:enter(?:ing)? into|discuss(?:ing)?) (?:this|any|the matter)",
    r"\bi (?:have|'ve) already (?:told|explained|said|answered)\b|\bfor the (?:last|final|second|third) time\b",
    r"\bi(?:'m| am) not sure what (?:else )?you (?:expect|want)\b|\bwhat (?:more|else) do you (?:expect|want)\b",
    r"\bclearly stated\b|\bit is not (?:our|my) job\b",
    r"\b(?:that|this|it)(?:'s| is) (?:just|simply) (?:how|the way) (?:it is|it goes|things are|it works)\b",
    r"\b(?:as is|as was) clearly (?:stated|set out|explained)\b|\bin the terms (?:and conditions )?you agreed to\b",
    r"\bas per (?:our|the) (?:terms|conditions|policy|policies|procedures?|rules|t&cs|t ?& ?c)\b",
    r"\b(?:our|the) (?:terms|conditions|t&cs) (?:clearly |plainly )?(?:state|say|stipulate)\b",
)

# --- plain language -----------------------------------------------------------------------------
JARGON = _rx(
    r"\baforementioned\b|\bhereby\b|\bherein\b|\bhereto\b|\bhereof\b|\bthereof\b|\btherein\b|\bheretofore\b|\bhitherto\b",
    r"\bpursuant\b|\bnotwithstanding\b|\bin lieu\b|\binter alia\b|\bwhereby\b|\bforthwith\b",
    r"\bescalation (?:matrix|path|tier)\b|\btier (?:1|2|3|one|two|three)\b|\b(?:l1|l2|l3) (?:team|support)\b",
    r"\bas per\b|\bper (?:my|our|your|the) (?!cent|head|person|month|week|year|day|night|hour|annum)",
    r"\butili[sz](?:e|ed|es|ing|ation)\b|\bleverag(?:e|ed|ing)\b|\bfacilitat(?:e|ed|es|ing)\b",
    r"\bcommenc(?:e|ed|es|ing)\b|\bendeavou?r(?:s|ed)? to\b|\bremediat(?:e|ed|ion)\b|\brevert(?:ing)? (?:back )?to (?:you|us|me)\b|\bat your earliest convenience\b",
    r"\bsupport ticket\b|\bticket (?:has been|was|is now|will be) (?:raised|logged|closed|escalated|updated|resolved|opened|assigned|actioned)\b|\b(?:raised|logged|opened) (?:a|the|your) ticket\b",
    r"\bactioned\b|\bgoing forward\b|\btouch base\b|\bat this (?:point|moment) in time\b|\bplease be advised\b|\bwe acknowledge receipt\b",
    r"\broot cause analysis\b|\bsubsequent to\b|\bprior to\b|\bin accordance with\b|\bwith regards? to\b|\bdue diligence\b",
)
JARGON_CASED = re.compile(r"\b(?:SLA|SLAs|RCA|KYC|AML|T&Cs|TCs|FOS|DSAR|ETA|NFA|POC|BAU|KPI|CRM)\b")

NOT_EMPATHY = re.compile(r"\bfor (?:us|our \w+|the (?:company|business|team|bank))\b")

# --- paraphrase cues ----------------------------------------------------------------------------
RESTATE = _rx(
    r"\byou (?:have |'ve |had |'d )?(?:told|wrote|written|said|mentioned|explained|reported|raised|described|let us know|let me know|contacted us|got in touch|complained|noted|pointed out|made clear|asked us|asked me|called us|emailed us|informed us|advised us)",
    r"\bi understand (?:that |from (?:your|our) \w+ (?:that )?)?you (?!must|may|might)\b",
    r"\bi understand (?:that )?(?:your|the) \w+(?: \w+)? (?:was|were|has|have|had|is|are|did|didn't|arrived|went)\b",
    r"\b(?:as|from what) i understand(?: it)?,? (?:you|your)",
    r"\bif i (?:have|'ve) understood (?:you |your \w+ )?(?:correctly|rightly)",
    r"\bfrom your (?:message|email|letter|call|complaint|note|form|description)",
    r"\byour (?:complaint|message|email|letter|concern|call|feedback) (?:is|was|concerns|concerned|relates to|related to|about|regarding|explains|explained|says|said)",
    r"\byou (?:are|were|'re|have been|'ve been) (?:\w+ )?(?:unhappy|upset|frustrated|disappointed|concerned|worried|angry|annoyed|dissatisfied) (?:that|with|about|because)",
    r"\byou (?:were|have been|'ve been|had been) (?:wrongly |incorrectly |repeatedly |still )?(?:charged|billed|told|left|kept|given|sent|promised|refused|asked|overcharged|cut off|disconnected|waiting|getting|receiving|having|experiencing|facing|dealing|struggling|unable|trying|chasing|paying)",
    r"\b(?:to summarise|in summary|to recap|so that i'm clear|just to confirm what|i'd like to confirm what)",
    r"\bi can see (?:from (?:your|our) \w+(?: \w+)? )?that (?:you|your)",
    r"\bthank you for (?:telling|letting) (?:us|me) know (?:that|about)",
)
