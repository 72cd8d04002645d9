"""Contains all the data models used in inputs/outputs

Each model's module is imported the first time its name is used.
"""

from typing import TYPE_CHECKING

__all__ = (
    "APICreditEntity",
    "ASRRequest",
    "ASRResponse",
    "ASRSegment",
    "AudioFormat",
    "AuthorEntity",
    "CreateModelRequest",
    "ErrorBody",
    "KnownASRModel",
    "KnownLiveFinishReason",
    "KnownModelState",
    "KnownModelType",
    "KnownPVCReleaseState",
    "KnownTrainMode",
    "KnownTTSModel",
    "KnownVoiceDesignModel",
    "LatencyMode",
    "LiveAudioEvent",
    "LiveFinishEvent",
    "LiveFlushEvent",
    "LiveLogEvent",
    "LiveStartEvent",
    "LiveStopEvent",
    "LiveTextEvent",
    "ModelAudioQualityEntity",
    "ModelAudioQualityEntityQuality",
    "ModelEntity",
    "ModelList",
    "ModelQualityEntity",
    "ModelSortBy",
    "Mp3Bitrate",
    "OpusBitrate",
    "PackageEntity",
    "PackageEntityScheduledChangeType0",
    "ProsodyControl",
    "ReferenceAudio",
    "SampleEntity",
    "TTSRequest",
    "TTSTimestampAlignment",
    "TTSTimestampSegment",
    "TTSTimestampStreamEvent",
    "UpdateModelRequest",
    "ValidationIssue",
    "ValidationIssueIn",
    "Visibility",
    "VoiceDesignCandidate",
    "VoiceDesignRequest",
    "VoiceDesignResponse",
)

if TYPE_CHECKING:
    from .api_credit_entity import APICreditEntity
    from .asr_request import ASRRequest
    from .asr_response import ASRResponse
    from .asr_segment import ASRSegment
    from .audio_format import AudioFormat
    from .author_entity import AuthorEntity
    from .create_model_request import CreateModelRequest
    from .error_body import ErrorBody
    from .known_asr_model import KnownASRModel
    from .known_live_finish_reason import KnownLiveFinishReason
    from .known_model_state import KnownModelState
    from .known_model_type import KnownModelType
    from .known_pvc_release_state import KnownPVCReleaseState
    from .known_train_mode import KnownTrainMode
    from .known_tts_model import KnownTTSModel
    from .known_voice_design_model import KnownVoiceDesignModel
    from .latency_mode import LatencyMode
    from .live_audio_event import LiveAudioEvent
    from .live_finish_event import LiveFinishEvent
    from .live_flush_event import LiveFlushEvent
    from .live_log_event import LiveLogEvent
    from .live_start_event import LiveStartEvent
    from .live_stop_event import LiveStopEvent
    from .live_text_event import LiveTextEvent
    from .model_audio_quality_entity import ModelAudioQualityEntity
    from .model_audio_quality_entity_quality import ModelAudioQualityEntityQuality
    from .model_entity import ModelEntity
    from .model_list import ModelList
    from .model_quality_entity import ModelQualityEntity
    from .model_sort_by import ModelSortBy
    from .mp_3_bitrate import Mp3Bitrate
    from .opus_bitrate import OpusBitrate
    from .package_entity import PackageEntity
    from .package_entity_scheduled_change_type_0 import (
        PackageEntityScheduledChangeType0,
    )
    from .prosody_control import ProsodyControl
    from .reference_audio import ReferenceAudio
    from .sample_entity import SampleEntity
    from .tts_request import TTSRequest
    from .tts_timestamp_alignment import TTSTimestampAlignment
    from .tts_timestamp_segment import TTSTimestampSegment
    from .tts_timestamp_stream_event import TTSTimestampStreamEvent
    from .update_model_request import UpdateModelRequest
    from .validation_issue import ValidationIssue
    from .validation_issue_in import ValidationIssueIn
    from .visibility import Visibility
    from .voice_design_candidate import VoiceDesignCandidate
    from .voice_design_request import VoiceDesignRequest
    from .voice_design_response import VoiceDesignResponse
else:
    from importlib import import_module

    # Where each name is defined, as in the imports above ("from .module import Name").
    _MODULES = {
        "APICreditEntity": ".api_credit_entity",
        "ASRRequest": ".asr_request",
        "ASRResponse": ".asr_response",
        "ASRSegment": ".asr_segment",
        "AudioFormat": ".audio_format",
        "AuthorEntity": ".author_entity",
        "CreateModelRequest": ".create_model_request",
        "ErrorBody": ".error_body",
        "KnownASRModel": ".known_asr_model",
        "KnownLiveFinishReason": ".known_live_finish_reason",
        "KnownModelState": ".known_model_state",
        "KnownModelType": ".known_model_type",
        "KnownPVCReleaseState": ".known_pvc_release_state",
        "KnownTrainMode": ".known_train_mode",
        "KnownTTSModel": ".known_tts_model",
        "KnownVoiceDesignModel": ".known_voice_design_model",
        "LatencyMode": ".latency_mode",
        "LiveAudioEvent": ".live_audio_event",
        "LiveFinishEvent": ".live_finish_event",
        "LiveFlushEvent": ".live_flush_event",
        "LiveLogEvent": ".live_log_event",
        "LiveStartEvent": ".live_start_event",
        "LiveStopEvent": ".live_stop_event",
        "LiveTextEvent": ".live_text_event",
        "ModelAudioQualityEntity": ".model_audio_quality_entity",
        "ModelAudioQualityEntityQuality": ".model_audio_quality_entity_quality",
        "ModelEntity": ".model_entity",
        "ModelList": ".model_list",
        "ModelQualityEntity": ".model_quality_entity",
        "ModelSortBy": ".model_sort_by",
        "Mp3Bitrate": ".mp_3_bitrate",
        "OpusBitrate": ".opus_bitrate",
        "PackageEntity": ".package_entity",
        "PackageEntityScheduledChangeType0": ".package_entity_scheduled_change_type_0",
        "ProsodyControl": ".prosody_control",
        "ReferenceAudio": ".reference_audio",
        "SampleEntity": ".sample_entity",
        "TTSRequest": ".tts_request",
        "TTSTimestampAlignment": ".tts_timestamp_alignment",
        "TTSTimestampSegment": ".tts_timestamp_segment",
        "TTSTimestampStreamEvent": ".tts_timestamp_stream_event",
        "UpdateModelRequest": ".update_model_request",
        "ValidationIssue": ".validation_issue",
        "ValidationIssueIn": ".validation_issue_in",
        "Visibility": ".visibility",
        "VoiceDesignCandidate": ".voice_design_candidate",
        "VoiceDesignRequest": ".voice_design_request",
        "VoiceDesignResponse": ".voice_design_response",
    }

    def __getattr__(name):
        if name not in _MODULES:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(_MODULES[name], __name__), name)
        globals()[name] = value  # from now on found without calling __getattr__
        return value

    def __dir__():
        return sorted({*globals(), *__all__})
