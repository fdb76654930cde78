"""Rules for the commune's self-assessment pages (score sheet, evidence, plan, documents, figures)."""

from . import Rule, logged_in


def _evidence_file_a(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parindex.services.evidence import evidence_file_store

    content = b"%PDF-1.4\n% bien ban\n%%EOF\n"
    return evidence_file_store(assessment=world.assessment_a, actor=world.officer_a,
                               uploaded_file=SimpleUploadedFile("bien-ban.pdf", content))


def _score_a(world):
    return world.assessment_a.scores.order_by("id").first()


# Pages every member of A's tree reads; outsiders get 404 (the visibility rule never reveals existence).
READ = logged_in(200, officer_b=404, other_appraiser=404)

# Actions of the commune (POST only): a GET is refused by method for everyone signed in.
POST_ONLY = logged_in(405)

RULES = {
    "score_sheet": Rule(args=lambda w: [w.assessment_a.pk], expect=READ),
    "score_sheet_check": Rule(args=lambda w: [w.assessment_a.pk], expect=READ),
    "score_history": Rule(args=lambda w: [_score_a(w).pk], expect=READ),
    "score_sheet_submit": Rule(args=lambda w: [w.assessment_a.pk], expect=POST_ONLY),
    "score_sheet_withdraw": Rule(args=lambda w: [w.assessment_a.pk], expect=POST_ONLY),
    "score_sheet_leader_approve": Rule(args=lambda w: [w.assessment_a.pk], expect=POST_ONLY),
    "evidence_download": Rule(args=lambda w: [_evidence_file_a(w).pk], expect=READ),
}
