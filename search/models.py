import re

from django.db import models
from django.utils.translation import gettext_lazy as _

TERM_SEPARATORS = re.compile(r"[,，、;；/|\s]+")


class ThesaurusEntry(models.Model):
    """A group of words that mean the same thing on the plant floor and in the
    technical literature, e.g. 抖、抖动、振动、振颤. Used by every backend."""

    terms = models.TextField(
        _("equivalent terms"),
        help_text=_("Separate with 、 or commas, e.g. 抖、抖动、振动、振颤、vibration"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("thesaurus entry")
        verbose_name_plural = _("thesaurus")

    def __str__(self):
        return "、".join(self.term_list)

    @property
    def term_list(self):
        return list(dict.fromkeys(t for t in TERM_SEPARATORS.split(self.terms) if t))


class Embedding(models.Model):
    """A sentence vector, computed once per text and encoder (content hash)."""

    content_hash = models.CharField(max_length=64, verbose_name=_("content hash"))
    encoder = models.CharField(max_length=100, verbose_name=_("encoder"))
    vector = models.BinaryField(verbose_name=_("vector"))

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash", "encoder"], name="unique_embedding"
            )
        ]

    def __str__(self):
        return f"{self.encoder}:{self.content_hash[:12]}"


class IndexState(models.Model):
    """The version counter of the embedded index: row 1 counts studio
    changes, row 2 problem changes."""

    version = models.BigIntegerField(default=0, verbose_name=_("version"))

    class Meta:
        verbose_name = _("index state")
        verbose_name_plural = _("index states")

    def __str__(self):
        return f"index version {self.version}"


class IndexEntry(models.Model):
    """A stored index entry of the embedded backend. A deleted or hidden
    object keeps its row with live=False (a tombstone) so that every process
    can apply the change to its in-memory index by reading the rows newer
    than the version it has."""

    version = models.BigIntegerField(db_index=True, verbose_name=_("version"))
    live = models.BooleanField(default=True, verbose_name=_("live"))
    document = models.JSONField(default=dict, verbose_name=_("document"))
    indexed_at = models.DateTimeField(auto_now=True, verbose_name=_("indexed at"))

    class Meta:
        abstract = True


class IndexedStudio(IndexEntry):
    """One studio's entry."""

    studio_id = models.BigIntegerField(unique=True, verbose_name=_("studio ID"))

    class Meta(IndexEntry.Meta):
        verbose_name = _("indexed studio")
        verbose_name_plural = _("indexed studios")

    def __str__(self):
        return f"studio {self.studio_id} v{self.version}"


class IndexedProblem(IndexEntry):
    """One public problem's entry (the public search box)."""

    problem_id = models.BigIntegerField(unique=True, verbose_name=_("problem ID"))

    class Meta(IndexEntry.Meta):
        verbose_name = _("indexed problem")
        verbose_name_plural = _("indexed problems")

    def __str__(self):
        return f"problem {self.problem_id} v{self.version}"


class LearnedFusion(models.Model):
    """Fusion weights refit from staff decisions (search.learning): one row
    per refit, the newest in use when SEARCH_LEARNED_FUSION is on."""

    fitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("fitted at"))
    lexical_weight = models.FloatField(verbose_name=_("weight of words"))
    semantic_weight = models.FloatField(verbose_name=_("weight of meaning"))
    rrf_k = models.PositiveIntegerField(verbose_name=_("rank fusion constant"))
    problems = models.PositiveIntegerField(verbose_name=_("judged problems"))
    judgments = models.PositiveIntegerField(verbose_name=_("judgments"))
    ndcg_default = models.FloatField(verbose_name=_("nDCG@5 with the defaults"))
    ndcg_fitted = models.FloatField(verbose_name=_("nDCG@5 with these weights"))

    class Meta:
        ordering = ["-fitted_at", "-pk"]
        verbose_name = _("learned fusion weights")
        verbose_name_plural = _("learned fusion weights")

    def __str__(self):
        return (
            f"words {self.lexical_weight} / meaning {self.semantic_weight}, "
            f"k {self.rrf_k} ({self.problems} problems)"
        )
