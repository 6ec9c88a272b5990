"""Lines worded as conditions that are not conditions on the repository: KPIs, wishes, steps, roles."""

from __future__ import annotations

import re

# (id, why it is left out, wording); tried in order, the first that matches names the reason.
EXCLUSIONS = tuple(
    (name, reason, re.compile(pattern, re.IGNORECASE))
    for name, reason, pattern in (
        (
            "kpi",
            "a team or delivery metric (KPI, DORA), not a condition on the repository",
            r"\blead time\b|\bmttr\b|\bmean time (to|between) (recover|restore|repair|detect|resol"
            r"|fail)|\bchange failure rate\b|\bdeploy(ment)? frequency\b|\bdeploys? per (day|week)"
            r"|\buptime\b.{0,12}\d|\bcustomer satisfaction\b|\bcsat\b|\bnps\b|\bvelocity\b|\bcycle time\b"
            r"|\btime to (market|recovery|restore)\b|\b(adoption|retention|conversion|churn) rates?\b"
            r"|\b(reduc|decreas|increas|improv|cut)\w* .{0,40}\bby \d+(\.\d+)?\s*(%|percent|x\b)"
            r"|\bautomation\s*(>|≥|>=)?\s*\d+(\.\d+)?\s*%\s*(achieved|implemented|reached)?$|\bmean time to\b|\bavailability\b.{0,20}\d"
            r"|\bhit rates?\b|\bmetrics? targets?\b",
        ),
        (
            "tooling-wish",
            "a wish about tooling, not a condition on the repository",
            r"\bparallel (execution|runs?|jobs?|testing|builds?)\b|\bcach(e|ing) (optimi[sz]ation"
            r"|for repeated)|\b(incremental|distributed) builds?\b",
        ),
        (
            "process-step",
            "a process step with people, not a condition on the repository",
            r"^(validate|review|discuss|confirm|clarify|gather|agree|align|communicate|share"
            r"|present|coordinate|collaborate|sync|meet|interview|consult|ask)\b.*\b(with|to|from)"
            r" (the )?(stakeholders?|product( owners?| managers?| team)?|business|clients?"
            r"|customers?|users?|team( members)?)\b",
        ),
        (
            "task-step",
            "a step of the agent's own task (gather, extract, save), not a condition on the work",
            r"^(locate|extract|fetch|save|summari[sz]e|notify|download|copy|collect|gather|read)\b(?![/-])",
        ),
        (
            "people",
            "about people and teams, not a condition on the repository",
            r"^\W*(teams?|culture|users|knowledge)\b.{0,30}\b(trained|aligned|satisfied|shared|educated"
            r"|transformed|thriving|effective|informed|onboarded)\b|\bteam collaboration\b"
            r"|\bacross (the )?teams\b|\bengage early\b",
        ),
        (
            "operator-input",
            "about the inputs of the agent's own operations, not the project's code",
            r"\b(deployment|test automation|test data|operator|pipeline) inputs?\b"
            r"|\bin shell commands\b",
        ),
        (
            "shell-command",
            "a shell command, not a promise",
            r"\|\||&&|\$[A-Z_]{2,}\b|\bexit \d\b|^\W*(check: )?(if|echo|grep|kubectl|helm|curl|git) ",
        ),
        (
            "role",
            "a role sentence about the agent, not a condition on the repository",
            r"^(you are|you're|you will be|i am|i'm|this agent|use this agent|act as)\b"
            r"|\b(must be|should be) used proactively\b|\buse proactively\b",
        ),
    )
)


def excluded(text: str) -> tuple[str, str] | None:
    """The exclusion ``(id, reason)`` that ``text`` falls under, or None."""
    return next(((name, why) for name, why, rx in EXCLUSIONS if rx.search(text)), None)
