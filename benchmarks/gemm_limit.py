"""The machine's GEMM-only limit for the benchmark step: the eight matrix products of one training step of
784-256-256-10 at batch 128, computed by OpenBLAS through torch.matmul with the same transposes autograd uses.
Prints the summed time of the eight and 128 / that time, the samples per second no implementation whose products
run at OpenBLAS's speed can pass. Set OPENBLAS_NUM_THREADS to the number of cores to measure.

Run with Debian's python3-torch and libopenblas0-pthread: /usr/bin/python3 benchmarks/gemm_limit.py --threads 1
"""
import argparse, time
import torch

p = argparse.ArgumentParser()
p.add_argument('--threads', type=int, default=1)
p.add_argument('--batch', type=int, default=128)
p.add_argument('--repeats', type=int, default=7)
a = p.parse_args()
torch.set_num_threads(a.threads)
g = torch.Generator().manual_seed(0)
r = lambda *s: torch.rand(*s, generator=g) - 0.5
b = a.batch
x, w1, w2, w3 = r(b, 784), r(256, 784), r(256, 256), r(10, 256)
h1, h2, d3, d2, d1 = r(b, 256), r(b, 256), r(b, 10), r(b, 256), r(b, 256)
products = [  # (name, thunk): forward x W^T, weight gradients dY^T x, input gradients dY W
    ('x W1^T', lambda: x @ w1.t()), ('x W2^T', lambda: h1 @ w2.t()), ('x W3^T', lambda: h2 @ w3.t()),
    ('dW3', lambda: d3.t() @ h2), ('dX3', lambda: d3 @ w3), ('dW2', lambda: d2.t() @ h1),
    ('dX2', lambda: d2 @ w2), ('dW1', lambda: d1.t() @ x)]
total = 0.0
for name, f in products:
    for _ in range(50): f()  # warm-up
    best = []
    for _ in range(a.repeats):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 0.2:
            f(); n += 1
        best.append((time.perf_counter() - t0) / n)
    t = sorted(best)[len(best) // 2]  # the median
    out = f()
    flops = 2 * out.shape[0] * out.shape[1] * (x.shape[1] if name == 'x W1^T' else (b if name.startswith('dW') else (10 if name == 'dX3' else 256)))
    print(f'{name:7s} {t * 1e6:8.1f} us {flops / t / 1e9:6.1f} GFLOP/s')
    total += t
print(f'eight products {total * 1e6:.1f} us; GEMM-only limit {b / total:.0f} samples/s at {a.threads} thread(s)')
