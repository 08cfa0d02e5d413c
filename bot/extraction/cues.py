"""The words that signal events, and the words that say how an event is told.

``CUES`` groups cue words by what they signal (a clash, a capture, an air strike, shelling, a
landmine, an arrest, arson, a protest …); the word classes after them (aircraft, artillery,
civilians, armed targets, territory, property) are what ACLED's definitions turn on when one
cue could mean several sub-event types. The telling markers (negation, intention, background,
back-references, the present and the perfect) decide whether a cue reports an event at all.
Kept apart from ``triggers`` so the vocabulary can grow without touching the rules.
"""

from __future__ import annotations

import re


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Cue classes: (class, pattern, is a noun that "the …" can refer back with).
# "the bodies were picked up / taken away": the dead recovered, not people taken into custody
_NOT_BODIES = r"(?<!bodies\swere\s)(?<!body\swas\s)"
CUES: list[tuple[str, re.Pattern[str], bool]] = [
    ("clash", rx(r"\bclash(?:es|ed|ing)?\b|\bfighting\b|\bfought\b|\bbattle[sd]?\b|"
                  r"\bfights?\b(?=\s+(?:between|with|broke|erupted|occurred|took\s+place))|"
                  r"\bshoot-?outs?\b|\b(?:gun|fire)-?fights?\b|\bskirmish(?:es|ed)?\b|"
                  r"\bexchange[sd]?\s+(?:of\s+)?(?:gun)?fire\b|\bambush(?:ed|es)?\b|"
                  r"\bhostilities\b"), True),
    # "targeted the military vessels with heavy weaponry": an attack told by its weapon
    ("attack", rx(r"\battack(?:s|ed|ing)?\b|\bassault(?:s|ed)?\b|\braid(?:s|ed|ing)?\b|"
                   r"\btargeted(?=\s+(?:[\w'’-]+\s+){1,5}?with\b)|"
                   r"\b(?:launched|started|began|mounted)\s+(?:an?\s+|their\s+|its\s+|fresh\s+|"
                   r"new\s+|joint\s+|"
                   r"retaliatory\s+|coordinated\s+|surprise\s+)*(?:[\w-]+\s+)?(?:attacks?|"
                   r"offensives?|assaults?|raids?|operations?|actions?)\b"), True),
    ("capture", rx(r"\bcaptur(?:e|ed|es|ing)\b|\bseiz(?:e|ed|es|ing|ures?)\b|"
                    r"\boccup(?:y|ied|ies|ying)\b|\boverr(?:an|un|unning)\b|"
                    r"\b(?:took|take|taken|takes|taking|gained|wrested)\s+(?:full\s+|complete\s+|total\s+)?control\s+(?:of|over)\b|"
                    r"\b(?:took|taken|take)\s+over\b|\bfell\s+(?:to|into)\b|\bsurrender(?:ed|s)?\b|"
                    # "taking position for an ambush", "took up positions": deployed, nothing taken
                    r"\b(?:took|taken|take|taking)\b(?!\s+(?:up\s+)?positions?\b)"
                    r"(?=\s+(?:(?:the|a|an|its|their|another|two|three|four|"
                    r"five|several)\s+)?(?:(?-i:[A-Z][\w'’-]*)\s+|(?:strategic|hilltop|nearby|junta|"
                    r"military|regime|army|main|last|remaining|key|second|third|police|border|"
                    r"battalion|command)\s+){0,4}(?:outposts?|bases?|camps?|towns?|positions?|"
                    r"headquarters|garrisons?|strongholds?)\b)|"
                    r"(?:(?<=outpost\s)|(?<=base\s)|(?<=camp\s)|(?<=town\s)|(?<=garrison\s))fall\b"),
     False),
    ("retake", rx(r"\bre-?took\b|\bre-?tak(?:e|en|ing)\b|\brecaptur\w+|\bregain(?:ed|s|ing)?\s+"
                   r"(?:full\s+)?control\b|\breclaim\w*|\bre-?occup\w+"), False),
    ("air", rx(r"\bair\s?-?(?:strikes?|raids?)\b|\bair\s+(?:attacks?|assaults?)\b|"
                r"\baerial\s+(?:attacks?|bombardments?|bombings?|strikes?)\b|"
                r"\bbomb(?:s|ed|ing|ings|arded|arding|ardments?)?\b(?!\s+shelters?)|"
                r"\bdrone\s+(?:attacks?|strikes?)\b|"
                # "killed in a separate strike on the same town": another of the story's strikes
                r"\b(?:separate|another|second|third|fresh)\s+strikes?\b(?!\s+(?:movements?|columns?))|"
                # "intercepted and downed seven drones", "drones heading towards the town were
                # neutralized": drones shot down were drones sent to strike
                r"\b(?:shot\s+down|downed|intercepted|neutrali[sz]ed)\s+(?:[\w-]+\s+){0,3}?"
                r"drones\b|\bdrones\b(?=(?:\s+[\w'’-]+){0,14}?\s+(?:were|was)\s+(?:\w+\s+)?"
                r"(?:shot\s+down|downed|intercepted|neutrali[sz]ed)\b)"), True),
    ("shell", rx(r"\bshell(?:s|ed|ings?)?\b|\bartillery\b(?!\s+(?-i:[A-Z])|\s+(?:battalions?|"
                  r"units?|divisions?|regiments?|bases?))|\bmortars?\b|"
                  r"\bmissiles?\b(?!\s+(?-i:[A-Z]))|\brockets?\b|"
                  r"\b(?:used|using|fired|firing)\s+(?:another\s+|more\s+)?heavy\s+(?:weapons?|"
                  r"explosives)\b|"
                  r"\b(?:attacked|struck|hit|pounded|targeted|fired)\s+(?:\w+\s+){0,4}?with\s+heavy\s+"
                  r"(?:weapons|explosives)\b|"
                  # "were hit and killed by the junta's heavy weapons": a side's guns as the agent
                  r"\bby\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?heavy\s+(?:weapons?|weaponry)\b|"
                  r"\bhowitzers?\b"), True),
    ("mine", rx(r"\bland\s?-?mines?\b|\bmines?\b(?=\s+(?:blast|explosion|exploded|went\s+off))|"
                 r"\b(?:remote-detonated|planted|anti-personnel|hidden|buried)\s+(?:\w+\s+)?"
                 r"mines?\b|\b(?:with|by)\s+(?:[\w-]+\s+){0,2}mines?\b|\bstepped\s+on\s+(?:an?\s+)?"
                 r"(?:\w+\s+)?mine\b|\bIEDs?\b|\bimprovised\s+explosive|\bexplosive\s+devices?\b|"
                 r"\broadside\s+bombs?\b|\bbombs?\s+(?:blasts?|explosions?|exploded|went\s+off)\b|"
                 r"\bexplosives\s+(?:went\s+off|exploded|blew\s+up)\b|"
                 # "it used mines against the convoy": how the attack just told was made
                 r"\b(?:used|using|laid|detonated)\s+(?:\w+\s+)?mines?\b"),
     True),
    ("grenade", rx(r"\b(?<!stun\s)grenades?\b(?!\s+launchers?)"), True),
    ("chemical", rx(r"\bchemical\s+(?:weapons?|attacks?|agents?)\b|\bpoison(?:ous)?\s+gas\b"),
     True),
    ("suicide", rx(r"\bsuicide\s+(?:bomb\w*|attack\w*)"), True),
    ("shoot", rx(r"\bshot\b(?!\s+down)|\bshooting\b|\bfired\s+(?:\w+\s+){0,2}(?:at|on|into)\b|"
                  r"\bopened\s+fire\b|\bexecut(?:ed|ion)\b|\bmassacr\w+|\bbeheaded\b|"
                  r"\btortur\w+|\bbeat(?:en|ing)?\b|\bstabbed\b|\bburn(?:ed|t)\s+alive\b"), False),
    ("execute", rx(r"\b(?:arrested|detained|abducted|seized|captured)\s+and\s+(?:then\s+)?"
                    r"(?:killed|executed|shot\s+dead)\b|"
                    # "were killed on October 3, the same day they were arrested": killed captive
                    r"\b(?:killed|executed|shot\s+dead)\b(?=[^.;]{0,60}?\b(?:the\s+(?:same\s+)?day|"
                    r"hours?\s+after|days?\s+after|after)\s+(?:that\s+)?(?:they|he|she)\s+"
                    r"(?:were|was|had\s+been)\s+(?:arrested|detained|abducted|seized)\b)"), False),
    ("found dead", rx(r"\b(?:found|discovered)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?(?:dead\s+)?"
                       r"bod(?:y|ies)\b|\bbod(?:y|ies)\s+(?:[\w-]+\s+){0,4}?(?:were|was)\s+"
                       r"(?:found|discovered)\b|\bfound\s+dead\b"), False),
    ("abduct", rx(r"\babduct\w*|\bkidnap\w*|\bhuman\s+shields?\b|\bhostages?\b|"
                   r"\bforced\s+(?:\w+\s+){0,3}?(?:civilians|villagers|people|men|residents|locals|"
                   r"youths)\s+to\s+(?:carry|guide|porter|walk|serve|work)\b|"
                   r"\bused\s+(?:them|\w+\s+(?:villagers|civilians))\s+as\s+(?:guides|porters)\b|"
                   r"\bforced\s+"
                   r"(?:\w+\s+)?porters?\b|\bheld\s+(?:them\s+|him\s+|her\s+)?(?:prisoners?|"
                   r"captives?|hostages?)\b|\bforced\s+disappearance"), False),
    # "killed two villagers", "three civilians were killed", "four fighters killed on Tuesday"
    ("kill", rx(r"\b(?:killed|killing|murder(?:ed|ing)?|slaughter(?:ed|ing)?)\b|"
                 r"\blea(?:ving|ves|ve|ft)\s+(?:\S+\s+){0,3}?dead\b"), False),
    # "Explosions occurred at an administrative office", "a bomb blast"
    ("blast", rx(r"\b(?:explosions?|blasts?|exploded|blew\s+off)\b"), True),
    ("sexual", rx(r"\brap(?:e|ed|es|ing)\b|\bsexual(?:ly)?\s+(?:assault|violence|abuse)\w*"),
     False),
    # "anti-dictatorship strike movement", "strike column": a strike in the field's sense
    # ("Monywa general strike committee", "protest leaders": who, not what happened)
    ("protest", rx(r"(?:\bprotest(?:s|ed|ing)?\b|\bdemonstrations?\b|\bdemonstrated\b|"
                    r"\bsit-ins?\b|\bgeneral\s+strike\b|\bstrikes?\s+(?:movements?|columns?|"
                    r"march(?:es)?|demonstrations?|rall(?:y|ies))\b)(?!\s+(?:committees?|leaders?|"
                    r"groups?|organi[sz]ers?|members?)\b)"), True),
    ("march", rx(r"\brall(?:y|ies|ied)\b|\bmarch(?:ed|es)\b"), True),
    ("intervene", rx(r"\bdispers\w+|\btear\s?-?gas\b|\brubber\s+bullets\b|\bwater\s+cannons?\b|"
                      r"\bstun\s+grenades?\b|\bcrack(?:ed)?\s?-?down\b|\bbroke\s+up\b|"
                      r"\bbreak\s+up\b|\bwarning\s+shots\b"), False),
    # "the armed forces took away the men at 11:30pm", "30 local people were picked up",
    # "picked up five youths": people taken into custody (not "picked up the bodies", "pace")
    ("arrest", rx(r"\barrest(?:ed|s|ing)?\b|\bdetain(?:ed|s|ing)?\b|\brounded\s+up\b|"
                  rf"{_NOT_BODIES}"
                  r"(?:(?<=were\s)|(?<=was\s)|(?<=been\s)|(?<=being\s))picked\s+up\b|"
                  r"\bpicked\s+up\s+(?:\w+\s+){0,3}?(?:people|m[ae]n|wom[ae]n|villagers|"
                  r"residents|civilians|youths|locals|students)\b|"
                  rf"{_NOT_BODIES}"
                  r"\b(?:took|taken|hauled|dragged|led)\s+(?:(?!bod)\w+\s+){0,3}?away\b"), False),
    ("burn", rx(r"\bdestroy(?:ed|ing|s)?\b|\btorch(?:ed|es|ing)\b|"
                 r"\bset\s+(?:\w+\s+)?(?:fire|ablaze)\b|\bsetting\s+fire\b|"
                 r"\bon\s+fire\b|\bablaze\b|\bburn(?:ed|t|ing|s)?\b|\barson\b|\bloot(?:ed|ing|s)?\b|"
                 r"\braz(?:ed|ing)\b|\bdemolish\w*|\bplunder\w*|\bransack\w*|\bst(?:ole|olen|ealing)\b|"
                 r"\brobbed\b|\bbl(?:ew|own|owing)\s+"
                 r"up\b"), False),
    ("agree", rx(r"\b(?:agreed|signed|reached|struck|concluded)\b(?=[^.;]{0,40}\b(?:cease-?fire|"
                  r"truce|agreements?|deal|accord|pact)\b)"), False),
    ("base", rx(r"\b(?:established|set\s+up|opened|built)\s+(?:an?\s+|its\s+|their\s+|new\s+)*"
                 r"(?:\w+\s+)?(?:base|headquarters|HQ)\b"), False),
    ("abandon", rx(r"\b(?:abandoned|vacated|relinquished|withdrew\s+from|retreated\s+from|"
                    r"handed\s+over)\s+(?:the\s+|its\s+|their\s+|a\s+)?(?:[\w-]+\s+){0,3}?"
                    r"(?:bases?|camps?|towns?|positions?|"
                    r"outposts?|posts?|headquarters)\b|\bwithout\s+(?:a\s+)?(?:fight|firing\s+a\s+"
                    r"shot)\b"), False),
    ("defuse", rx(r"\bdefused\b|\bdismantled\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:bomb|mine|IED|"
                   r"explosive)s?\b"), False),
    ("riot", rx(r"\briot(?:s|ed|ing|ers)?\b(?!\s+police)|\bmob\s+(?:violence|attack)|\blynch\w*"),
     True),
    ("same", rx(r"\b(?:met|suffered)\s+the\s+same\s+fate\b|\ba\s+similar\s+(?:attack|incident)\b"),
     False),
]

AIRCRAFT = rx(r"\b(?:jets?|warplanes?|aircraft|planes?|helicopters?|gunships?|drones?|air\s+"
                r"force(?!\s+(?-i:[A-Z])))\b")  # not "the Air Force Training School"
ARTILLERY = rx(r"\b(?:shell(?:s|ed|ings?)?|artillery|mortars?|(?:with|using|used|fired|firing)\s+"
               r"heavy\s+(?:weapons|weaponry|explosives)|launcher\s+bombs?)\b")
# What a strike hit: villages, homes and civilians make it one-sided ("civilian resistance
# fighters" are fighters).
CIVILIAN_TARGET = rx(r"\b(?:villages?|villagers|civilians?(?!\s+(?:resistance|fighters?|defen))|"
                     r"residents|houses|homes|monaster(?:y|ies)|schools?|church(?:es)?|hospitals?|"
                     r"farms?|markets?)\b")
# Where civilians live or shelter: a raid on one is not a battle.
CIVILIAN_PLACE = rx(r"\b(?:villages?|houses|homes|monaster(?:y|ies)|schools?|church(?:es)?|"
                    r"hospitals?|markets?|wards?|IDP\s+camps?|camps?\s+for\s+(?:the\s+)?displaced)\b")
# Harm to people: what makes a raid on civilians an attack on them.
HARM = rx(r"\b(?:kill(?:ed|ing|s)?|dead|died|deaths?|injur\w*|wound\w*|hurt|shot|shooting|"
          r"beat(?:en|ing)?|tortur\w*|stabb\w*|rap(?:e|ed|ing)|massacr\w*|execut\w*|"
          r"casualt\w*|behead\w*|burn(?:ed|t)\s+alive)\b")
# Who can fall in a battle: a dated report of them killed or wounded is a battle report.
COMBATANTS = rx(r"\b(?:fighters?|troops|soldiers|combatants?|comrades|militiam[ae]n|personnel|"
                r"members|guerrillas?|revolutionaries|servicemen)\b")
# Who burns on the ground: without them, fire after a strike is the strike's damage.
GROUND_FORCES = rx(r"\b(?:troops|soldiers|militia\w*|column|raid\w*|forces)\b")
MINES = rx(r"\b(?:land\s?-?mines?|mines?|IEDs?|explosive\s+devices?)\b")
# "demonstrating the growing capabilities of …" shows; it is no demonstration.
DEMONSTRATION = r"\bdemonstrat\w+(?!\s+(?:the|that|its|their|how|a|an)\b)"
PROTESTERS = rx(r"\bprotest\w*|" + DEMONSTRATION + r"|\brall(?:y|ies)\b|\bgeneral\s+strike\b|"
                  r"\bcrowds?\b")
CIVILIANS = rx(r"\b(?:civilians?|villagers?|residents?|locals?|farmers?|m[ae]n|wom[ae]n|"
                 r"children|child|girls?|boys?|him|her|people|monks?|students?|IDPs?|famil(?:y|"
                 r"ies)|passengers?|workers?|journalists?|teachers?|patients?|activists?|"
                 # ward and village administrators are civilians to ACLED, and so is a wife
                 r"administrators?|wives|wife|husbands?|couples?|\d+-year-olds?|"
                 # people held by troops ("four detainees were tortured and killed")
                 r"detainees|captives)\b")
ARMED = rx(r"\b(?:troops|soldiers|forces|bases?|camps?|outposts?|positions?|posts?|convoys?|"
             r"columns?|reinforcements|battalions?|checkpoints?|(?:police\s+)?stations?|"
             r"headquarters|army|military|junta|regime|fighters|rebels|militias?|personnel|"
             r"vehicles?|units?)\b")
TERRITORY = rx(r"\b(?:bases?|(?:en)?camp(?:ment)?s?|outposts?|positions?|posts?|towns?|city|"
                 r"cities|villages?|"
                 r"headquarters|HQs?|stations?|hill(?:top)?s?|checkpoints?|garrisons?|"
                 r"strongholds?|bridges?|territor(?:y|ies)|control|areas?|compound|university|"
                 # "the 552nd battalion was captured": its base (not "the battalion commander")
                 r"airport|battalions?(?!\s+(?:commanders?|soldiers|troops|members|officers?)))\b")
PROPERTY = rx(r"\b(?:houses?|homes?|villages?|buildings?|shops?|huts?|propert(?:y|ies)|"
                r"schools?|church(?:es)?|monaster(?:y|ies)|granar(?:y|ies)|barns?|vehicles?|"
                r"motorcycles?|stores?|markets?|offices?|rice|food)\b")
PEOPLE = rx(r"\b(?:civilians?|villagers?|residents?|people|locals?|m[ae]n|wom[ae]n|children|"
              r"activists?|journalists?|students?|members|leaders?|youths?|farmers?|monks?|"
              r"protesters?|him|her|them|they|those|everyone|anyone|\d+)\b")
SHIELD = rx(r"\bhuman\s+shields?\b|\bhostages?\b|\bporters?\b|\bheld\s+(?:\w+\s+)?prisoner")
EXCESSIVE = rx(r"\blive\s+(?:ammunition|rounds|bullets|fire)\b|\bkilled\b|\bshot\s+dead\b|"
                 r"\bopened\s+fire\b|"
                 # "died after being shot in the head", "wounded by gunshots": lethal weapons
                 r"\bdied\b|\bgunshots?\b|\bshot\s+(?:in|through)\s+the\s+\w+|"
                 # "young people were shot during a protest", "shooting at young people": guns
                 # turned on protesters, whether or not anyone was hit (not rubber bullets)
                 r"\b(?:was|were|been|being)\s+shot\b(?!\s+(?:\w+\s+)?(?:with|by)\s+"
                 r"(?:rubber|plastic|tear|water|stun))|\bshooting\s+at\s+(?!the\s+(?:sky|air)\b)")

NEGATION = rx(r"\b(?:no|not|never|without|nor|neither|denied|den(?:y|ies)|unable)\b"
              # "hadn't heard any fighting", "we didn’t attack them" (a typographic apostrophe)
              r"(?:\s+\S+){0,4}\s*$|n['’]t\s+(?:\S+\s+){0,2}$")
MODAL = rx(r"\b(?:will|would|could|can|might|(?-i:may)|shall|should|must|plan(?:s|ned|ning)?|"
             r"vow(?:s|ed|ing)?|pledg\w+|threat\w*|warn\w*|aim(?:s|ed|ing)?|tr(?:y|ies|ied|ying)|"
             r"intend\w*|prepar\w*|seek\w*|sought|attempt\w*|want\w*|if|unless|expected|"
             r"believed|likely|urg\w+|hop\w+|(?:going|about|ready|order|effort)\s+to)\b")
# "traveling to raid", "sent to attack": the purpose of a movement, not something done yet.
# "we worry about more fighting in our area", "fled in fear of air strikes": what is feared.
FEARED = rx(r"\b(?:worr(?:y|ies|ied|ying)|afraid|fear(?:s|ed|ful|ing)?|scared|anxious)\s+"
            r"(?:about|of|that)\s+(?:\S+\s+){0,3}$")
INFINITIVE = rx(r"\b(?:travel\w*|head\w*|mov\w*|march\w*|advanc\w*|deploy\w*|sent|send\w*|"
                  r"dispatch\w*|com(?:e|es|ing)|arriv\w*|ask\w*|told|order\w*)\s+(?:\S+\s+){0,3}?"
                  r"to\s+$")
# "the detained villagers", "a vehicle carrying detained civilians", "saved the civilians
# they arrested": a participle naming people, or a rescue from what was done to them.
ADJECTIVE = rx(r"\b(?:the|these|those|a|an|of|carrying|transporting|escorting|holding)\s+$|"
               # "Many of those who got arrested were because of him": people described
               r"\b(?:those|people|anyone|everyone)\s+who\s+(?:got|were|was|had\s+been|"
               r"have\s+been)\s+$|"
               r"\b(?:saved|rescued|freed|released)\b(?:\s+\S+){0,4}\s*$")
EVENT_PLURAL = rx(r"(?:air\s?-?strikes|air\s+raids|attacks|clashes|battles|raids|bombings|"
                    r"protests|demonstrations|ambushes|shoot-?outs|skirmishes|assaults|offensives|"
                    r"explosions)$")
BACKGROUND = rx(r"^\s*(?:which|who)\b|"  # "The troops, which burned X village, entered Y"
                # "bombed a police camp that was captured by resistance forces": what it was
                r"\bthat\s+(?:had\s+|has\s+|have\s+)?(?:been|was|were)\s+$|"
                r"\b(?:after|before|despite|amid|amidst|during|following|because|since|"
                  r"due\s+to|in\s+response\s+to|in\s+retaliation\s+for)\b")
NEAR_BACKGROUND = rx(r"\b(?:from|against)\s+(?:\S+\s+){0,2}$|"
                     # "forced to flee the fighting and artillery shelling": displacement told
                     # ("forced to flee their homes by fierce clashes")
                     r"\b(?:flee|fled|fleeing|escap\w+|displaced)\s+(?:(?:their|his|her|the)\s+"
                     r"homes?\s+)?(?:from\s+|due\s+to\s+|by\s+|"
                     r"because\s+of\s+)?(?:the|ongoing|heavy|intense|fierce|renewed|daily)\s+"
                     r"(?:[\w-]+\s+){0,3}$")
# "the attack", "the two clashes" (but not "the junta launched drone attack": no verb between)
# ("said that it used mines": "that" before "it" opens a clause, it is no determiner; "that
# they" is left as it was, since in 235 it holds back a coalition's history)
BACK_REFERENCE = rx(r"\b(?:the|this|that(?!\s+it\b)|these|those|its|their|"
                    r"such)\s+(?:[\w'’-]+\s+(?:(?![\w'’-]*ed\s)[\w'’-]+\s+)?)?$|"
                      r"\bthe\s+(?:[\w-]+\s+){1,2}of\s+$|"
                      # "casualties suffered in the Inn Ma Htee village attack": named by place
                      r"\bthe\s+(?:(?-i:[A-Z])[\w'’-]*\s+){1,4}(?:village|town|camp|base)\s+$")
EARLIER = rx(r"\b(?:previous|earlier|recent|past|prior|last\s+\w+['’]s)\s+(?:[\w-]+\s+){0,2}$")
COUNTED = rx(r"(?:\b\d[\d,]*|\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens|"
               r"hundreds|several|multiple|numerous|many)\b)(?:\s+[\w-]+){0,2}\s+$")
# "have occupied", "are fighting each other": a state of affairs, datable only by its own date.
PERFECT = rx(r"\b(?:has|have|'ve|had)\s+(?:\w+\s+){0,5}?$|\b(?:is|are|am)\s+(?:\w+\s+)?$")
# "has seized over 300 bases", "It has also detained villagers": the present perfect names no
# day, so a date elsewhere in the sentence ("launched Operation 1027 on October 27 … and has
# seized …") is another verb's ("claims to have seized" reports a deed of its own).
PRESENT_PERFECT = rx(r"(?<!\bto\s)\b(?:has|have|'ve)\s+(?:\w+\s+){0,3}?$")
# "standing by to fight off resistance ambushes": the object of an aim, not a report.
# "claims to have seized the base" reports a deed (a perfect infinitive), it states no aim;
# "residents who were unable to flee in time were detained": a finite verb after the
# infinitive ("were") ends the aim, and the cue is that verb's.
AIM_OBJECT = rx(r"\bto\s+(?!(?:the|a|an|our|their|its|his|her|them|him|have)\b)[a-z]+"
                r"(?:\s+(?!(?:was|were|is|are|has|have|had)\b)\S+){0,3}\s+$")
# "violations such as burning homes and abducting residents": examples of a kind of deed.
EXAMPLES = rx(r"\b(?:such\s+as|for\s+example|for\s+instance)\b")
# "Sometimes, they even beat …", "they arrest whoever they can": what troops do, not a deed
HABITUAL = rx(r"\b(?:every\s+(?:day|evening|night|morning|week)|often|regularly|usually|"
                r"routinely|frequently|daily|frequent|regular|repeated(?=\s+\w+s\b)|sometimes|"
                r"(?:whoever|anyone|anybody)\s+(?:they|it|he|she)\s+can)\b")
# "fighting between the KIA and the military intensified in late May", "Fighting … has increased
# in recent weeks": a change in how much fighting there is, a situation rather than a deed
# (but "clashes broke out and escalated" tells the clashes).
TREND = rx(r"^(?:(?!\b(?:broke\s+out|erupted|took\s+place|occurred|happened)\b)[^.;])"
           r"{0,200}?\b(?:has\s+|have\s+|had\s+)?(?:increased|intensified|escalated|worsened|"
           r"subsided|grown)\b")
# "The Burma Army uses drones … and conducts artillery attacks", "Clashes continue", "Currently,
# the military is … launching airstrikes": the present tense describes a situation, not a day.
PRESENT_BEFORE = rx(r"\b(?:uses|conducts|carries\s+out|launches|faces?|keeps|continues|remains|"
                      r"(?:is|are|am)\s+\w+ing)\b")
# ("we were still being shelled": "still" in the past is the day told, not the present)
CURRENTLY = rx(r"\b(?:currently|(?<!was\s)(?<!were\s)still|now|nowadays)\b")
# "There have been reports of homes damaged by airstrikes": what the present perfect opening
# the sentence introduces has happened on no day it gives, however far on the cue stands
EXISTENTIAL = rx(r"\s*(?:[\w'’-]+\s+){0,3}?there\s+(?:has|have)\s+been\b")
# "Five were shot dead … during previous fighting in the state": a spell of fighting told as
# earlier than the story, after the cue anywhere in its sentence, gives it no day of the story
EARLIER_SPELL = rx(r"\b(?:during|in|amid)\s+(?:the\s+)?(?:previous|earlier|prior|past)\s+"
                   r"(?:[\w-]+\s+)?(?:fighting|clashes|battles?|offensives?|attacks|raids|"
                   r"operations|conflicts?)\b")
# "The AA is engaged in a fierce fight with the junta", "are locked in battle": a state the
# sides are in, not a fight on the story's day
ENGAGED = rx(r"\b(?:is|are|am|(?:has|have)\s+been)\s+(?:\w+\s+)?(?:engaged|locked|embroiled|"
             r"mired|caught\s+up)\s+in\s+(?:[\w-]+\s+){0,3}$")
# "Troops previously attacked the village on May 2": an earlier event recalled, whose day the
# story does not move to (the event itself is still reported on its day)
FLASHBACK = rx(r"\b(?:previously|in\s+the\s+past|once\s+before)\b")
# "it was on fire recently": some time before, on no day the report gives.
RECENTLY = rx(r"\brecently\b|" + FLASHBACK.pattern)
# "the Shwegu PDF, a group fighting the regime, said": what a group is, not what it did.
# (an appositive: the clause, cut at the comma, opens with "a group", not "KIA and other groups")
DESCRIBES = rx(r"^\s*(?:an?|one\s+of\s+the)\s+(?:[\w-]+\s+){0,2}?(?:groups?|organi[sz]ations?|"
               r"alliances?|coalitions?|forces|militias?|armies)\s+$")
# "a region that has seen intense fighting in recent weeks", "clashes over the past months":
# a stretch of time told after the cue, in its clause, is no day of its own either.
RECENT_STRETCH = rx(r"[^,;.:]{0,60}?\b(?:in|over|during|throughout)\s+(?:the\s+)?(?:recent|past|"
                    r"last|previous)\s+(?:few\s+|several\s+|two\s+|three\s+)?(?:days|weeks|"
                    r"months|years)\b")
PRESENT_AFTER = rx(r"^(?:\s+(?!and\b|but\b)[^\s,;]+){0,5}?\s+(?:has|have|is|are|continues?|"
                     r"remains?)\b")
RELATIVE_PAST = rx(r"\b(?:who|which|that)\s+had\s+(?:\w+\s+)?$")
# "abandoned the base because of airstrikes but retook the camp": "but" opens a clause of its
# own, which the "because" before it does not govern.
# "… would not say which group they attacked on 28 June": an embedded question has its own
# subject, out of reach of the negation and the modal before it.
CLAUSE = re.compile(r"[,;:“”\"()—–]|\s-\s|\bbut\b|"
                    r"\b(?:which|what)\s+(?:\w+\s+)?(?=(?:they|we|he|she)\b)")
