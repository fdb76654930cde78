import pytest
from django.urls import reverse

from parindex.services.evidence import evidence_file_store

from .files import docx_bytes, pdf_bytes, upload


@pytest.fixture
def pdf_a(world):
    return evidence_file_store(assessment=world.assessment_a, uploaded_file=upload("Quyết định 193.pdf", pdf_bytes()),
                               actor=world.officer_a)


def get(client, user, evidence_file):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("evidence_download", args=[evidence_file.pk]))


def test_owner_downloads_a_pdf_inline_with_its_original_name(world, client, pdf_a):
    response = get(client, world.officer_a, pdf_a)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "filename*=utf-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20193.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_word_file_downloads_as_attachment(world, client):
    stored = evidence_file_store(assessment=world.assessment_a, uploaded_file=upload("ke-hoach.docx", docx_bytes()),
                                 actor=world.officer_a)
    response = get(client, world.officer_a, stored)
    assert response["Content-Disposition"].startswith("attachment")


def test_appraiser_of_the_district_can_download(world, client, pdf_a):
    assert get(client, world.appraiser, pdf_a).status_code == 200


def test_officer_of_another_commune_gets_404(world, client, pdf_a):
    assert get(client, world.officer_b, pdf_a).status_code == 404


def test_appraiser_of_another_district_gets_404(world, client, pdf_a):
    assert get(client, world.other_appraiser, pdf_a).status_code == 404


def test_anonymous_is_sent_to_login(world, client, pdf_a):
    response = get(client, None, pdf_a)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_media_url_does_not_serve_the_file(world, client, pdf_a, settings):
    client.force_login(world.officer_a)
    response = client.get(settings.MEDIA_URL + pdf_a.file.name)
    assert response.status_code == 404
