"""OPERATION: known aliases by match policy, unseen names by the general rules, generic phrases not."""

from __future__ import annotations

import pytest

from pipeline.grammar.en.operations import OperationGrammar
from pipeline.rules import load_rules

from .helpers import CONFIGS

GRAMMAR = OperationGrammar(load_rules(CONFIGS).operations)


def operations(text: str):
    return [(text[m.start:m.end], m.name) for m in GRAMMAR.find(text)]


@pytest.mark.parametrize("text, expected", [
    ('the launch of the "Hundred Days Action" to crack down', [("Hundred Days Action", "Hundred Days Action")]),
    ("during the Hundred Days Action, police", [("Hundred Days Action", "Hundred Days Action")]),
    ('deepen the "clean border" operation', [("clean border", "Clean Border")]),
    ('in the "Hunting Owl" operation', [("Hunting Owl", "Owl Hunt")]),
    ('under the "Clean Source, Cut Flow" campaign',
     [("Clean Source, Cut Flow", "Cleaning the Source and Cutting Off the Flow")]),
    ('the Clean Border 2021 operation', [("Clean Border 2021", "Clean Border")]),
    ('the national "Clean Source" campaign', [("Clean Source", "Cleaning the Source and Cutting Off the Flow")]),
    ('the "Clean Source and Cut Off Flow" campaign', [("Clean Source and Cut Off Flow",
                                                      "Cleaning the Source and Cutting Off the Flow")]),
    ("credited the source-cleaning and flow-cutting campaign", [("source-cleaning and flow-cutting",
                                                               "Cleaning the Source and Cutting Off the Flow")]),
    ('promote the "eradication" action', [("eradication", "Eradication")]),
    ('the "Thunder Operations" against drug crime', [("Thunder Operations", "Thunder")]),
    ('a drive the ministry calls "Operation Shield of the Border"', [("Operation Shield of the Border",
                                                                     "Shield of the Border")]),
    ('what they call "Operation Clear Water"', [("Operation Clear Water", "Clear Water")]),
    # modifiers between a quoted name and its operation word, up to two
    ('under the province\'s "Sea Shield" anti-smuggling operation', [("Sea Shield", "Sea Shield")]),
    ('in the "Harbour Watch" joint customs campaign', [("Harbour Watch", "Harbour Watch")]),
    ('"Good news" for the three special joint anti-drug operations', []),
    ('officials vowed a "zero-tolerance" provincial campaign against drugs', []),
    # a quoted name in apposition to an operation word
    ('the seizure came during "Harbour Watch", a joint campaign by customs', [("Harbour Watch", "Harbour Watch")]),
    ('arrested under "Harbour Watch," a special operation against smuggling', [("Harbour Watch", "Harbour Watch")]),
    ('"We will not stop," a campaign official said', []),
    ('"We will win," the campaign\'s leader said', []),
    ('"Zero tolerance," the slogan of the crackdown, was repeated', []),
    ('"Black Friday", the day of the operation, saw 3 arrests', []),
    ("launched Operation Thunder in May", [("Operation Thunder", "Thunder")]),
    ('the anti-drug operation in the delivery logistics was carried out',
     [("anti-drug operation in the delivery logistics", "Delivery Logistics Anti-Drug Action")]),
    # names the config does not know
    ('police launched the "Spring Breeze" campaign', [("Spring Breeze", "Spring Breeze")]),
    ('the "net sweep" action continued', [("net sweep", "Net Sweep")]),
    ("launched Operation Mountain Eagle last week", [("Operation Mountain Eagle", "Mountain Eagle")]),
    ("a provincial Strike Hard Campaign began", [("Strike Hard Campaign", "Strike Hard")]),
    ("During the Hundred Days Action, police", [("Hundred Days Action", "Hundred Days Action")]),
    ("During Hundred Days Action police", [("Hundred Days Action", "Hundred Days Action")]),
    # known names in lower case or unquoted, next to an operation word
    ("officers in the clean border drive seized", [("clean border", "Clean Border")]),
    ("ever since operation clean border began", [("operation clean border", "Clean Border")]),
    ("results of the Strike Hard campaign", [("Strike Hard", "Strike Hard")]),
    ("the strike hard anti-drug campaign", [("strike hard", "Strike Hard")]),
    # a known name that ends in a word that may stand before an operation word ("anti-drug")
    ("results of the de-icing and anti-drug campaign, which", [("de-icing and anti-drug", "De-icing and Anti-Drug")]),
    ("the De-icing and Anti-Drug special campaign", [("De-icing and Anti-Drug", "De-icing and Anti-Drug")]),
    # a lower-case alias that ends in an operation word of its own names the campaign in any case
    ("netted 1.2 tonnes under the cluster crackdown on street-level dealing",
     [("cluster crackdown", "Cluster Crackdown")]),
    ("The Cluster Crackdown began in March", [("Cluster Crackdown", "Cluster Crackdown")]),
    ("officers on the Clean Net campaign", [("Clean Net", "Net Clean")]),
    ("a Thunder operation in the south", [("Thunder", "Thunder")]),
    ("in the clean border 2022 special operation", [("clean border 2022", "Clean Border")]),
    # a known name whose canonical form holds the operation word keeps it
    ("Gansu's Hundred-Day campaign ended", [("Hundred-Day campaign", "Hundred Days Action")]),
    ("during a 100-day drive, police", [("100-day drive", "Hundred Days Action")]),
    ("the Hundred Day Campaign in Hunan", [("Hundred Day Campaign", "Hundred Days Action")]),
    # single quotes, as China Daily and Global Times write them
    ("Yunnan police in 'clean border' drive", [("clean border", "Clean Border")]),
    ("the joint 'Thunder' campaign against", [("Thunder", "Thunder")]),
    ("during the ‘Thunder’ operation", [("Thunder", "Thunder")]),
    ("in the 'Mountain Shield' operation", [("Mountain Shield", "Mountain Shield")]),
    ("the province's 'People's Shield' campaign", [("People's Shield", "People's Shield")]),
    ("The province's 'Iron Fist' anti-drug campaign", [("Iron Fist", "Iron Fist")]),
    # a year or a round number after a name is part of it, not of the canonical name
    ("under the 'Clean Net 2023' action", [("Clean Net 2023", "Net Clean")]),
    ("a drive code-named 'Kunlun 2022' was", [("Kunlun 2022", "Kunlun")]),
    ("in the 'Safe Mekong-2019' joint operation", [("Safe Mekong-2019", "Safe Mekong")]),
    ("suspects held in Operation Thunderbolt 19 included", [("Operation Thunderbolt 19", "Thunderbolt")]),
    ("arrested in Operation Skyfall 2020 and", [("Operation Skyfall 2020", "Skyfall")]),
    ("Operation Thunder 25 suspects were held", [("Operation Thunder", "Thunder")]),
    ("in Operation Eagle 12 kg of heroin", [("Operation Eagle", "Eagle")]),
    # "of the" ends it too: "Operation Sky Net of the Yunnan police" is Sky Net, in Yunnan
    ("suspects were arrested under Operation Sky Net of the Yunnan police this year",
     [("Operation Sky Net", "Sky Net")]),
    ("police said that Operation Kunlun of Yunnan police officers", [("Operation Kunlun", "Kunlun")]),  # "of" too
    # a known campaign's translated name unquoted, written with its capitals
    ("customs working on the Sword of the National Gate (Guomen Lijian) seized",
     [("Sword of the National Gate", "National Gate Sword"), ("Guomen Lijian", "National Gate Sword")]),
    # "on" and "against" inside a name
    ("as police stepped up the People's War on Drugs this year", [("People's War on Drugs", "People's War on Drugs")]),
    ("officials said the People's War Against Drugs in the province went on",
     [("People's War Against Drugs", "People's War on Drugs")]),
    # code names, and a name the text introduced found again
    ('a customs operation code-named "SKY-NET" found', [("SKY-NET", "Sky Net")]),
    ("an operation code-named Golden Key, which", [("Golden Key", "Golden Key")]),
    ("a drive dubbed 'Spring Breeze' began", [("Spring Breeze", "Spring Breeze")]),
    ("the crackdown, dubbed 'Operation Sky Shield', began", [("Operation Sky Shield", "Sky Shield")]),
    ('a national campaign to "keep drugs off campus" began',
     [("keep drugs off campus", "Keep Drugs Off Campus")]),
    ('a "dragnet" project moved fast', [("dragnet", "Dragnet")]),
    ("weeks of Leiting-7 -- the code name of a crackdown. Since Leiting-7 began",
     [("Leiting-7", "Leiting-7"), ("Leiting-7", "Leiting-7")]),
    ("the 'Red Shield' campaign went on. Red Shield officers",
     [("Red Shield", "Red Shield"), ("Red Shield", "Red Shield")]),
    # not operations
    ("police launched cluster crackdowns to wipe out networks", []),
    ("a special operation against trafficking", []),
    ('carried out "drug driving" control', []),
    ('focused on rectifying "black warehouses"', []),
    ("eradication of poppy fields", []),
    ("The Campaign Was A Success In Yunnan Province Today", []),
    ("an 'unprecedented' drug crackdown", []),
    ('a "massive" police operation', []),
    ("de-icing operations at the airport", []),
    ("the Kunlun Mountains in Qinghai", []),
    ("the city's Skynet surveillance cameras", []),
    ("the cluster strike on dealers", []),
    ("Yunnan's police said 'we will win' and left", []),
    ('"We launched the operation," he said.', []),
    ("a special campaign against drug crimes", []),
])
def test_operations(text: str, expected) -> None:
    assert operations(text) == expected
