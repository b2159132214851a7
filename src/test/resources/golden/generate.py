"""Golden values from PyTorch for ravine's tests.

Rerun from the repository root with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 src/test/resources/golden/generate.py
It rewrites the files beside it; the tests read them and never need PyTorch.

- parity/: training runs that ravine must reproduce from the same initial weights, with rows in file order,
  no standardization and no validation split: CASE.csv, CASE.init.safetensors (float64), CASE.<dtype>.safetensors
  (the weights after training) and cases.json (the settings and each epoch's mean minibatch loss).
- derivatives.json: loss, gradient and full Hessian of tiny MLPs for every activation and both losses.
"""
import json, os, struct
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', '..', 'main', 'resources', 'dev', 'ravine', 'data')
ACT = {'relu': torch.nn.ReLU, 'tanh': torch.nn.Tanh, 'sigmoid': torch.nn.Sigmoid, 'leaky_relu': torch.nn.LeakyReLU,
       'elu': torch.nn.ELU, 'gelu': torch.nn.GELU, 'identity': torch.nn.Identity}


def save_safetensors(path, tensors):
    """The safetensors format by hand (8-byte header length, JSON header, raw little-endian data)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().cpu().contiguous().numpy()
        code = {np.float32: 'F32', np.float64: 'F64'}[a.dtype.type]
        b = a.astype(a.dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': code, 'shape': list(a.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def mlp(sizes, act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(ACT[act]())
    return torch.nn.Sequential(*layers)


def read_csv(name, rows):
    a = np.genfromtxt(os.path.join(DATA, name + '.csv'), delimiter=',', skip_header=1)[:rows]
    with open(os.path.join(DATA, name + '.csv')) as f:
        header = f.readline().strip().split(',')
    return header, a


def write_csv(path, header, x, y, integer_target):
    with open(path, 'w') as f:
        f.write(','.join(header) + '\n')
        for xi, yi in zip(x, y):
            f.write(','.join(repr(float(v)) for v in xi) + ',' + (str(int(yi)) if integer_target else repr(float(yi))) + '\n')


def standardized(x):
    sd = x.std(0)
    sd[sd == 0] = 1
    return (x - x.mean(0)) / sd


OPTIMIZERS = {
    'sgd': lambda p, kw: torch.optim.SGD(p, **kw),
    'adam': lambda p, kw: torch.optim.Adam(p, **kw),
}


def spec_of(name, kw):
    def value(v):
        if isinstance(v, bool):
            return 'true' if v else 'false'
        if isinstance(v, tuple):
            return '|'.join(repr(float(e)) for e in v)
        return repr(v)
    return name + (':' + ','.join(f'{k}={value(v)}' for k, v in kw.items()) if kw else '')


def parity_cases():
    out_dir = os.path.join(HERE, 'parity')
    os.makedirs(out_dir, exist_ok=True)
    cases = []
    # (case, data, rows, sizes, activation, optimizer, kwargs, epochs, batch, task)
    table = [
        ('sgd_nesterov_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd',
         dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3), 4, 16, 'classification'),
        ('adam_tanh', 'breast_cancer', 100, [30, 12, 8, 2], 'tanh', 'adam', dict(lr=0.01), 5, 32, 'classification'),
        ('adam_amsgrad_tanh', 'breast_cancer', 100, [30, 12, 2], 'tanh', 'adam',
         dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, amsgrad=True), 4, 32, 'classification'),
        ('sgd_dampened_sigmoid_mse', 'diabetes', 90, [10, 8, 1], 'sigmoid', 'sgd',
         dict(lr=0.1, momentum=0.5, dampening=0.3), 4, 25, 'regression'),
    ]
    for index, (case, data, rows, sizes, act, opt_name, kw, epochs, batch, task) in enumerate(table):
        header, a = read_csv(data, rows)
        x, y = a[:, :-1], a[:, -1]
        if data != 'digits':  # keep raw digit counts; scale the others so tanh and sigmoid do not saturate
            x = standardized(x)
        if task == 'regression':
            y = (y - y.mean()) / y.std()
        csv = os.path.join(out_dir, case + '.csv')
        write_csv(csv, header, x, y, task == 'classification')
        torch.manual_seed(100 + index)
        init = mlp(sizes, act).double()
        save_safetensors(os.path.join(out_dir, case + '.init.safetensors'), init.state_dict())
        losses = {}
        for dtype, tdtype in (('float64', torch.float64), ('float32', torch.float32)):
            model = mlp(sizes, act).to(tdtype)
            model.load_state_dict({k: v.to(tdtype) for k, v in init.state_dict().items()})
            xt = torch.tensor(x, dtype=torch.float64).to(tdtype)
            yt = torch.tensor(y).long() if task == 'classification' else torch.tensor(y, dtype=torch.float64).to(tdtype).view(-1, 1)
            lossf = torch.nn.CrossEntropyLoss() if task == 'classification' else torch.nn.MSELoss()
            opt = OPTIMIZERS[opt_name](model.parameters(), kw)
            per_epoch = []
            for _ in range(epochs):
                batch_losses = []
                for s in range(0, len(xt), batch):
                    opt.zero_grad()
                    loss = lossf(model(xt[s:s + batch]), yt[s:s + batch])
                    loss.backward()
                    opt.step()
                    batch_losses.append(loss.item())
                per_epoch.append(sum(batch_losses) / len(batch_losses))
            losses[dtype] = per_epoch
            save_safetensors(os.path.join(out_dir, f'{case}.{dtype}.safetensors'), model.state_dict())
        cases.append(dict(name=case, rows=rows, model=f'mlp:{"-".join(map(str, sizes))}:{act}',
                          optimizer=spec_of(opt_name, kw), epochs=epochs, batch=batch, task=task,
                          train_loss=losses))
    with open(os.path.join(out_dir, 'cases.json'), 'w') as f:
        json.dump(cases, f, indent=1)


def derivatives():
    torch.manual_seed(7)
    out = []
    for act in ACT:
        for task in ('classification', 'regression'):
            sizes = [5, 4, 3] if task == 'classification' else [5, 4, 2]
            model = mlp(sizes, act).double()
            x = torch.randn(7, 5, dtype=torch.float64)
            if task == 'classification':
                y = torch.randint(0, 3, (7,))
                lossf = torch.nn.CrossEntropyLoss()
            else:
                y = torch.randn(7, 2, dtype=torch.float64)
                lossf = torch.nn.MSELoss()
            names = [n for n, _ in model.named_parameters()]
            shapes = [p.shape for _, p in model.named_parameters()]
            flat0 = torch.cat([p.detach().reshape(-1) for p in model.parameters()])

            def f(flat):
                params, at = {}, 0
                for n, s in zip(names, shapes):
                    k = int(np.prod(s))
                    params[n] = flat[at:at + k].view(s)
                    at += k
                return lossf(torch.func.functional_call(model, params, (x,)) if hasattr(torch, 'func')
                             else torch.nn.utils.stateless.functional_call(model, params, (x,)), y)

            flat = flat0.clone().requires_grad_(True)
            loss = f(flat)
            grad, = torch.autograd.grad(loss, flat)
            hess = torch.autograd.functional.hessian(f, flat0)
            out.append(dict(activation=act, task=task, sizes=sizes, x=x.tolist(),
                            y=y.tolist(), params=flat0.tolist(), loss=loss.item(), grad=grad.tolist(),
                            hessian=hess.tolist()))
    with open(os.path.join(HERE, 'derivatives.json'), 'w') as f:
        json.dump(out, f)


if __name__ == '__main__':
    torch.set_num_threads(1)
    parity_cases()
    derivatives()
    print('golden values written to', HERE)
