from typing import Literal

ModelSortBy = Literal["created_at", "score", "task_count"]

MODEL_SORT_BY_VALUES: set[ModelSortBy] = {
    "created_at",
    "score",
    "task_count",
}


def check_model_sort_by(value: str) -> ModelSortBy:
    if value in MODEL_SORT_BY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MODEL_SORT_BY_VALUES!r}")
