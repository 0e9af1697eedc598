from .fast_mode import FastMode, choose_fast_mode, cpu_has_native_bf16

__all__ = ['FastMode', 'choose_fast_mode', 'cpu_has_native_bf16']
