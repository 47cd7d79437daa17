from django.core.management.base import BaseCommand

from problems.matching import refit_matching
from search.learning import MIN_PROBLEMS


class Command(BaseCommand):
    help = (
        "Refit the fusion weights of words and meaning from staff decisions on "
        "matches (confirmed, dismissed, accepted, solved) and store them. Beat runs "
        "this weekly; the platform matches with them when SEARCH_LEARNED_FUSION=1. "
        f"With fewer than {MIN_PROBLEMS} judged problems the defaults are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--min-problems", type=int, default=MIN_PROBLEMS)

    def handle(self, *args, min_problems, **options):
        row = refit_matching(min_problems=min_problems)
        self.stdout.write(
            f"{row.problems} judged problems, {row.judgments} judgments: words "
            f"{row.lexical_weight:g}, meaning {row.semantic_weight:g}, k {row.rrf_k} "
            f"(nDCG@5 {row.ndcg_default:.3f} with the defaults, "
            f"{row.ndcg_fitted:.3f} with these)"
        )
