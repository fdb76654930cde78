"""Factories for every model. Tests build their world from these, never from fixtures files."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from communes.models import Membership, Recipient, Role, Signatory, SignatoryPosition, Unit, UnitKind
from parindex.models import (
    Assessment,
    CriteriaSet,
    CriteriaSetStatus,
    Document,
    DocumentType,
    EvaluationYear,
    Item,
    ItemLevel,
    Meeting,
    MeetingKind,
    PlanTask,
    Score,
    ServiceFigures,
)

PASSWORD = "Mat-khau-thu-nghiem-2024"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    first_name = "Nguyễn Văn"
    last_name = factory.Sequence(lambda n: f"A{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.COMMUNE
    code = factory.Sequence(lambda n: f"U{n:05d}")


class ProvinceFactory(UnitFactory):
    name = "Quảng Ngãi"
    kind = UnitKind.PROVINCE
    code = "51"


class DistrictFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Huyện {n}")
    kind = UnitKind.DISTRICT
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Xã {n}")
    kind = UnitKind.COMMUNE
    parent = factory.SubFactory(DistrictFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(CommuneFactory)
    role = Role.COMMUNE_OFFICER


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    unit = factory.SubFactory(CommuneFactory)
    full_name = "Phạm Văn Thước"
    position = SignatoryPosition.VICE_CHAIRMAN
    is_default = True


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    unit = factory.SubFactory(CommuneFactory)
    text = factory.Sequence(lambda n: f"Nơi nhận {n}")
    order = factory.Sequence(int)


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    code = factory.Sequence(lambda n: f"bo-chi-so-{n}")
    name = "Bộ chỉ số thử nghiệm"
    unit_kinds = ["xa", "phuong", "thi_tran"]
    declared_total = Decimal("100")
    status = CriteriaSetStatus.ACTIVE
    bands = [
        {"label": "Tốt", "min_percent": 90}, {"label": "Khá", "min_percent": 80},
        {"label": "Trung bình", "min_percent": 65}, {"label": "Yếu", "min_percent": 0},
    ]


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    level = ItemLevel.CRITERION
    code = factory.Sequence(lambda n: f"9.{n}")
    name = factory.Sequence(lambda n: f"Tiêu chí {n}")
    max_points = Decimal("1")
    is_leaf = True


def build_criteria_set(shape=((Decimal("6"), 3), (Decimal("4"), 2)), **kwargs):
    """A small consistent set: one area per (max, leaf count), leaves sharing the area's points equally,
    the last leaf of each area split into two sub-criteria so that both leaf kinds exist."""
    criteria_set = CriteriaSetFactory(declared_total=sum(m for m, _ in shape), **kwargs)
    for a, (area_max, leaves) in enumerate(shape, start=1):
        area = Item.objects.create(criteria_set=criteria_set, level=ItemLevel.AREA, code=str(a),
                                   name=f"Lĩnh vực {a}", order=a, max_points=area_max, is_leaf=False)
        area.area = area
        area.save()
        share = area_max / leaves
        for c in range(1, leaves + 1):
            is_split = c == leaves and leaves > 1
            criterion = Item.objects.create(
                criteria_set=criteria_set, parent=area, area=area, level=ItemLevel.CRITERION, code=f"{a}.{c}",
                name=f"Tiêu chí {a}.{c}", order=c, max_points=share, is_leaf=not is_split,
                allows_not_applicable=(c == 1),
            )
            if is_split:
                for s in (1, 2):
                    Item.objects.create(
                        criteria_set=criteria_set, parent=criterion, area=area, level=ItemLevel.SUB_CRITERION,
                        code=f"{a}.{c}.{s}", name=f"Tiêu chí thành phần {a}.{c}.{s}", order=s,
                        max_points=share / 2, is_leaf=True,
                    )
    return criteria_set


class EvaluationYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationYear

    year = 2024
    criteria_set = factory.LazyFunction(build_criteria_set)
    scope = factory.SubFactory(ProvinceFactory)
    theme = "Đẩy mạnh cải cách hành chính"
    self_assessment_opens = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    self_assessment_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    appraisal_round1_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=60))
    explanation_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=75))
    appraisal_round2_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=90))


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment with one empty Score per leaf, as opening a year creates it."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    year = factory.SubFactory(EvaluationYearFactory)
    unit = factory.SubFactory(CommuneFactory)

    @factory.post_generation
    def with_scores(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        leaves = Item.objects.filter(criteria_set=obj.year.criteria_set, is_leaf=True)
        Score.objects.bulk_create(
            [Score(assessment=obj, item=leaf, max_points=leaf.max_points) for leaf in leaves],
            ignore_conflicts=True,
        )


def fill_scores(assessment, self_share=Decimal("1"), appraised_share=None, note="Đã thực hiện đầy đủ"):
    """Give every leaf a self-score (and optionally an appraised score) as a share of its max."""
    scores = list(assessment.scores.all())
    for s in scores:
        s.self_score = (s.max_points * self_share).quantize(Decimal("0.01"))
        s.self_note = note
        if appraised_share is not None:
            s.appraised_score = (s.max_points * appraised_share).quantize(Decimal("0.01"))
    Score.objects.bulk_update(scores, ["self_score", "self_note", "appraised_score"])
    return scores


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    assessment = factory.SubFactory(AssessmentFactory)
    doc_type = DocumentType.QUYET_DINH
    number_symbol = factory.Sequence(lambda n: f"{n + 1}/QĐ-UBND")
    issued_on = dt.date(2024, 3, 1)
    summary = "Ban hành kế hoạch cải cách hành chính"


class PlanTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTask

    assessment = factory.SubFactory(AssessmentFactory)
    order = factory.Sequence(int)
    content = factory.Sequence(lambda n: f"Nhiệm vụ {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    assessment = factory.SubFactory(AssessmentFactory)
    kind = MeetingKind.CONFERENCE
    held_on = dt.date(2024, 7, 15)
    title = "Hội nghị sơ kết công tác CCHC 6 tháng"


class ServiceFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceFigures

    assessment = factory.SubFactory(AssessmentFactory)
    dossiers_received = 946
    dossiers_online = 946
    digitised_rate_published = Decimal("95.39")
