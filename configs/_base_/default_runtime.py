# MMPose's runtime defaults plus the import that registers this package.
_base_ = ['mmpose::_base_/default_runtime.py']

custom_imports = dict(imports=['mmpose_hourglass_ext'], allow_failed_imports=False)
default_scope = 'mmpose'
