from .assessments import (
    FROZEN_STATUSES,
    ApprovalEvent,
    Assessment,
    AssessmentStatus,
    Document,
    DocumentType,
    Evidence,
    EvidenceFile,
    ItemScoresBasis,
    LockException,
    LockStage,
    Meeting,
    MeetingKind,
    PlanTask,
    PlanTaskStatus,
    Score,
    ServiceFigures,
)
from .assignments import AppraisalAssignment
from .council import CouncilDecision
from .criteria import CriteriaSet, CriteriaSetStatus, Item, ItemLevel, ScoringMethod
from .crosschecks import CheckFigure, CheckKind, CheckSeverity, CrossCheckRule
from .notices import DeadlineNotice, DeadlineNoticeKind
from .remedy import RemedyLine, RemedyPlan, RemedyPlanStatus
from .years import EvaluationYear, RankingScope

__all__ = [
    "FROZEN_STATUSES", "AppraisalAssignment", "ApprovalEvent", "CouncilDecision", "Assessment", "AssessmentStatus", "CriteriaSet", "CriteriaSetStatus", "DeadlineNotice",
    "DeadlineNoticeKind", "Document",
    "DocumentType", "EvaluationYear", "Evidence", "EvidenceFile", "Item", "ItemScoresBasis", "ItemLevel", "LockException",
    "LockStage", "Meeting", "MeetingKind", "PlanTask", "PlanTaskStatus", "RankingScope", "Score",
    "ScoringMethod", "ServiceFigures",
    "CheckFigure", "CheckKind", "CheckSeverity", "CrossCheckRule",
    "RemedyLine", "RemedyPlan", "RemedyPlanStatus",
]
