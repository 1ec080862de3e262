"""The commented template that ``ibdquiz new-deck`` writes; it validates clean as written.

Its example facts are taken word for word (numbers, units, design) from the seed article on the
Mayo Clinic tacrolimus series, so that the template teaches the format without inventing content.
"""

from __future__ import annotations

_TEMPLATE = """\
# yaml-language-server: $schema=@SCHEMA@
# (The line above lets editors with the YAML language server, such as VS Code's YAML
# extension, complete and check this file as you type, using the schema file beside this deck;
# 'ibdquiz schema --output @SCHEMA@' writes it again. Keep it as the first line.)
#
# An ibdquiz deck (format 1). Lines starting with # are comments: ibdquiz ignores them.
#   Check it:            ibdquiz validate @FILE@
#   See every question:  ibdquiz preview @FILE@
#   Install it:          ibdquiz add-deck @FILE@
#
# The example below comes from one real study; replace the title, the source and the facts with
# your own. Take numbers, units and designs exactly as the source states them.
#
# How YAML reads this file:
#   - Each line is "key: value". Indent with spaces (never tabs); a deeper indent belongs to
#     the line above it. Keep the indentation exactly as in this template.
#   - A line starting with "- " starts a new item of a list: each source, and each fact.
#   - [a, b, c] is a short list on one line (tags, choices).
# Put a value in double quotes when it:
#   - contains ': ' (a colon and a space)      explain: "Take-home message: ..."
#     Most citations do (journal year; volume: pages), so quote every citation.
#   - contains ' #' (space, hash): the rest of the line would become a comment
#   - starts with {{ (a cloze whose answer comes first), [ { * & ! | > % @ ` or a quote
# Every value is read as the text written: no stays "no", 1.10 stays "1.10".
# Ids (deck, source id, fact id) are lowercase letters, digits and '-'; they are the stable keys
# of each fellow's review history, so edit the text around them freely but keep the ids.

# the deck id: should equal the file name without .yaml
deck: @DECK_ID@
title: "Example: tacrolimus for refractory Crohn's disease"
format: 1
description: One retrospective series, as an example of every kind of fact.
tags: [crohns, tacrolimus]      # topics, inherited by every source and fact below

sources:                        # one entry per study (or review article)
  - id: mayo-2013               # unique in this deck
    citation: "Inflamm Bowel Dis 2013; 19:1107-11"   # quoted, as every citation should be
    label: Mayo Clinic series, 2013     # how questions name the study
    design: retrospective       # optional; only what the source says
    n: 24                       # optional; number of patients (a whole number)
    population: adults with Crohn's disease intolerant of or unresponsive to ≥1 anti-TNFα agent
    facts:
      # ask + answer. Answers are read as a percent (54%), a fraction with its stated percent
      # (8/24 (33%)), a number with a unit (10 months), a range (10-15 ng/mL), a plain number
      # (24) or text. Numeric answers also become multiple-choice and type-in questions.
      # explain (optional) is shown after the answer; tags (optional) add topics.
      - id: surgery             # unique within its source
        ask: What share of patients required surgery within a median of 10 months of
          starting tacrolimus?  # long text may wrap onto indented lines
        answer: 54%
        explain: "Take-home message: tacrolimus doesn't look too promising for refractory disease."
        tags: [outcomes]
      - id: dose-reduction
        ask: How many patients needed a dose reduction because of adverse events?
        answer: 8/24 (33%)      # a count with its stated percent; the two must agree
        explain: 8 (33%) required dose reduction.
      # choices (optional): 3 or 4 wrong options of your own; ibdquiz adds the answer.
      # Other optional keys of a fact:
      #   tolerance: 5     how far a typed number may be and still count: 5 means ±5 in the
      #                    answer's unit (points for a percent), 10% means ±10%. Defaults:
      #                    ±2 points for a percent, exact for a count out of n and for whole
      #                    numbers up to 10, else ±10%.
      #   kind: text       read an answer that looks like a number as text: a flashcard (and a
      #                    multiple-choice question from your choices), no type-in question.
      - id: best-trough
        ask: Which trough range was associated with the highest response and remission rates?
        answer: 10-15 ng/mL
        # with 4 choices each review shows the answer and 3 of them, so its place varies
        choices: [5-10 ng/mL, 15-20 ng/mL, 20-25 ng/mL, 25-30 ng/mL]
        explain: Patients in this trough range had the highest response and remission.
      # cloze: a sentence with exactly one {{...}} span, which is the answer (no ask/answer).
      # No question or explanation should state another fact's answer (validate warns).
      - id: remission-trough
        cloze: The trough-level group with the highest remission had a remission rate of {{57%}}.
        explain: The highest remission of any trough-level group.
"""


SCHEMA_FILE = "ibdquiz-deck.schema.json"
"""The schema's file name beside a deck: a relative path works wherever the folder is copied."""


def template_text(deck_id: str, schema: str, file_name: str) -> str:
    """The template deck for ``deck_id``; ``schema`` is the path or URL of the JSON Schema, and
    ``file_name`` the file as a shell would need it typed (quoted when it holds spaces)."""
    return (
        _TEMPLATE.replace("@SCHEMA@", schema).replace("@FILE@", file_name)
        .replace("@DECK_ID@", deck_id)
    )
