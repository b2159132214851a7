"""Golden values from PyTorch for ravine's tests.

Rerun from the repository root with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 src/test/resources/golden/generate.py
It rewrites the files beside it; the tests read them and never need PyTorch.

- parity/: training runs that ravine must reproduce from the same initial weights, with rows in file order,
  no standardization and no validation split: CASE.csv, CASE.init.safetensors (float64), CASE.<dtype>.safetensors
  (the weights after training) and cases.json (the settings and each epoch's mean minibatch loss).
- derivatives.json: loss, gradient and full Hessian of tiny MLPs for every activation (and some with their
  hyperparameters away from the defaults) and both losses.
- trajectories.json: torch.optim on the 2-D test functions of `ravine optimize`, step by step, in float64.
- schedules.json: learning rates of torch.optim.lr_scheduler stepped once per optimizer step.
- curvature/: weights, data and the Hessian's spectrum (torch.autograd.functional.hessian, eigvalsh) in float64.
- batchnorm/: MLPs with nn.BatchNorm1d before each hidden activation: training runs from a PyTorch init (its scale,
  shift and running statistics drawn at random) to PyTorch's weights and running statistics (train.json), and the
  full Hessian's spectrum in training mode (batch statistics of all rows) and evaluation mode (running statistics)
  (hessian.json).
- gelu.json: GELU x Phi(x) at float32 inputs, exact to double (mpmath at 40 digits), for the float32 kernel's accuracy
  where the float64 form, 0.5 x (1 + erf(x / sqrt 2)), loses the negative tail to cancellation.
- activations64.json: tanh, the sigmoid, SiLU, ELU, GELU, Softplus, SELU, Mish and Mish's derivative, and GELU's tanh
  form and its derivative, at float64 inputs, exact to 25 digits (mpmath at 50 digits), for the float64 kernels'
  accuracy in ulps.

Parts can be rerun alone, leaving the others' files as they are: generate.py batchnorm
"""
import json, math, os, struct, sys
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', '..', 'main', 'resources', 'dev', 'ravine', 'data')
ACT = {'relu': torch.nn.ReLU, 'tanh': torch.nn.Tanh, 'sigmoid': torch.nn.Sigmoid, 'leaky_relu': torch.nn.LeakyReLU,
       'elu': torch.nn.ELU, 'gelu': torch.nn.GELU, 'identity': torch.nn.Identity, 'silu': torch.nn.SiLU, 'softplus': torch.nn.Softplus,
       'selu': torch.nn.SELU, 'mish': torch.nn.Mish,
       # hyperparameters away from torch.nn's defaults, named as ravine's model specs name them (added last, so the
       # cases before them draw the same random numbers)
       'leaky_relu:negative_slope=0.2': lambda: torch.nn.LeakyReLU(0.2), 'elu:alpha=0.5': lambda: torch.nn.ELU(0.5),
       'softplus:beta=2,threshold=1': lambda: torch.nn.Softplus(beta=2, threshold=1),
       'gelu:approximate=tanh': lambda: torch.nn.GELU(approximate='tanh')}


def save_safetensors(path, tensors):
    """The safetensors format by hand (8-byte header length, JSON header, raw little-endian data)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().cpu().contiguous().numpy()
        code = {np.float32: 'F32', np.float64: 'F64', np.int64: 'I64'}[a.dtype.type]
        b = a.astype(a.dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': code, 'shape': list(a.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def mlp(sizes, act, batchnorm=False):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            if batchnorm:
                layers.append(torch.nn.BatchNorm1d(sizes[i + 1]))
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
    'rmsprop': lambda p, kw: torch.optim.RMSprop(p, **kw),
    'adamw': lambda p, kw: torch.optim.AdamW(p, **kw),
    'lbfgs': lambda p, kw: torch.optim.LBFGS(p, **kw),
    'rprop': lambda p, kw: torch.optim.Rprop(p, **kw),
    'asgd': lambda p, kw: torch.optim.ASGD(p, **kw),
    'lion': lambda p, kw: Lion(p, **kw),
}


def spec_of(name, kw):
    def value(v):
        if isinstance(v, bool):
            return 'true' if v else 'false'
        if isinstance(v, str):
            return v
        if isinstance(v, tuple):
            return '|'.join(repr(float(e)) for e in v)
        return repr(v)
    return name + (':' + ','.join(f'{k}={value(v)}' for k, v in kw.items()) if kw else '')


def sam_second_pass(model, rho, adaptive, loss):
    """Sharpness-aware minimization's gradient (Foret et al. 2021; adaptive: ASAM), by the rule of the reference
    implementation pytorch-optimizer ships: from the gradient at w the weights move to w + e(w),
    e = rho (|w|^2 if adaptive) g / (|(|w| if adaptive) g| + 1e-12), loss() is backpropagated there, and the weights
    go back to w with that gradient in .grad. Batch norm's running statistics keep what the first pass left."""
    params = list(model.parameters())
    buffers = [b.clone() for b in model.buffers()]
    with torch.no_grad():
        norm = torch.norm(torch.stack([((p.abs() if adaptive else 1.0) * p.grad).norm(p=2) for p in params]), p=2)
        scale = rho / (norm + 1e-12)
        saved = [p.detach().clone() for p in params]
        for p in params:
            p.add_((torch.pow(p, 2) if adaptive else 1.0) * p.grad * scale.to(p))
    for p in params:
        p.grad = None
    loss().backward()
    with torch.no_grad():
        for p, w in zip(params, saved):
            p.copy_(w)
        for b, kept in zip(model.buffers(), buffers):
            b.copy_(kept)


def parity_cases():
    out_dir = os.path.join(HERE, 'parity')
    os.makedirs(out_dir, exist_ok=True)
    cases = []
    # (case, data, rows, sizes, activation, optimizer, kwargs, epochs, batch, task[, extras])
    # extras: schedule (ravine spec, torch factory, 'epoch'|'step'), clip_norm, clip_value, l1, l2 (penalties on the
    # weight matrices, added to the loss: l1 sum |W| + l2/2 sum W^2), loss ('mse' or 'sigmoid_mse': MSELoss of the
    # outputs, or of their sigmoids, against one-hot targets; 'cross_entropy:label_smoothing=X,weight=A|B|...'; for regression
    # 'huber:delta=X', 'smooth_l1:beta=X' or 'l1'), swa (start, swa_lr, anneal_epochs, anneal_strategy: weight averaging
    # after epoch start, counting from 1), sam (rho, adaptive), lookahead (k, alpha: pytorch-optimizer's Lookahead around the
    # optimizer, pullback_momentum='none')
    table = [
        ('sgd_nesterov_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd',
         dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3), 4, 16, 'classification'),
        ('adam_tanh', 'breast_cancer', 100, [30, 12, 8, 2], 'tanh', 'adam', dict(lr=0.01), 5, 32, 'classification'),
        ('adam_amsgrad_tanh', 'breast_cancer', 100, [30, 12, 2], 'tanh', 'adam',
         dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, amsgrad=True), 4, 32, 'classification'),
        ('sgd_dampened_sigmoid_mse', 'diabetes', 90, [10, 8, 1], 'sigmoid', 'sgd',
         dict(lr=0.1, momentum=0.5, dampening=0.3), 4, 25, 'regression'),
        ('rmsprop_step_schedule_clip_norm', 'digits', 70, [64, 12, 10], 'elu', 'rmsprop',
         dict(lr=0.01, momentum=0.5, centered=True), 5, 16, 'classification',
         dict(schedule=('step:step_size=2,gamma=0.5', lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5), 'epoch'),
              clip_norm=0.5)),
        ('adamw_cosine_steps_clip_value', 'breast_cancer', 100, [30, 10, 2], 'gelu', 'adamw',
         dict(lr=0.02, weight_decay=0.1), 3, 32, 'classification',
         dict(schedule=('cosine:t_max=7,eta_min=0.001', lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.001), 'step'),
              clip_value=0.05)),
        ('sgd_onecycle_momentum_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd',
         dict(lr=0.05, momentum=0.9, nesterov=True), 3, 16, 'classification',
         dict(schedule=('onecycle:max_lr=0.02,total_steps=15', lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.02, total_steps=15), 'step'))),
        ('lbfgs_full_batch_tanh', 'breast_cancer', 100, [30, 6, 2], 'tanh', 'lbfgs',
         dict(history_size=10, line_search_fn='strong_wolfe'), 3, 100, 'classification'),
        ('adam_l1_l2_clip_norm_tanh', 'breast_cancer', 100, [30, 12, 2], 'tanh', 'adam', dict(lr=0.01), 4, 32, 'classification',
         dict(l1=1e-3, l2=1e-2, clip_norm=0.5)),
        ('sgd_l2_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.05, momentum=0.9), 3, 16, 'classification',
         dict(l2=5e-3)),
        ('lbfgs_l1_l2_tanh', 'breast_cancer', 100, [30, 6, 2], 'tanh', 'lbfgs',
         dict(history_size=10, line_search_fn='strong_wolfe'), 2, 100, 'classification', dict(l1=1e-3, l2=1e-2)),
        ('sgd_mse_one_hot_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.5, momentum=0.9), 3, 16, 'classification',
         dict(loss='mse')),
        ('adam_sigmoid_mse_tanh', 'breast_cancer', 100, [30, 8, 2], 'tanh', 'adam', dict(lr=0.02), 4, 32, 'classification',
         dict(loss='sigmoid_mse')),
        ('sgd_cyclic_momentum_steps_tanh', 'breast_cancer', 100, [30, 10, 2], 'tanh', 'sgd', dict(lr=0.05, momentum=0.9), 3, 32,
         'classification', dict(schedule=('cyclic:base_lr=0.005,max_lr=0.05,step_size_up=3', lambda o: torch.optim.lr_scheduler.CyclicLR(
             o, base_lr=0.005, max_lr=0.05, step_size_up=3), 'step'))),
        ('adam_warmup_cosine_relu', 'digits', 70, [64, 16, 10], 'relu', 'adam', dict(lr=0.01), 5, 16, 'classification',
         dict(schedule=('linear:start_factor=0.2,total_iters=2+cosine:t_max=3', lambda o: torch.optim.lr_scheduler.SequentialLR(
             o, [torch.optim.lr_scheduler.LinearLR(o, start_factor=0.2, total_iters=2), torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=3)],
             milestones=[2]), 'epoch'))),
        ('sgd_label_smoothing_tanh', 'digits', 70, [64, 16, 10], 'tanh', 'sgd', dict(lr=0.1, momentum=0.9), 3, 16, 'classification',
         dict(loss='cross_entropy:label_smoothing=0.15')),
        ('rprop_tanh', 'breast_cancer', 100, [30, 8, 2], 'tanh', 'rprop', dict(lr=0.001, etas=(0.4, 1.3)), 4, 50, 'classification'),
        ('asgd_relu', 'digits', 70, [64, 16, 10], 'relu', 'asgd', dict(lr=0.05, lambd=1e-3, t0=5, weight_decay=1e-3), 3, 16,
         'classification'),
        ('sgd_huber_tanh', 'diabetes', 90, [10, 8, 1], 'tanh', 'sgd', dict(lr=0.1, momentum=0.5), 4, 25, 'regression',
         dict(loss='huber:delta=0.5')),
        ('adam_smooth_l1_relu', 'diabetes', 90, [10, 12, 1], 'relu', 'adam', dict(lr=0.01), 4, 25, 'regression',
         dict(loss='smooth_l1:beta=0.3')),
        ('sgd_l1_tanh', 'diabetes', 90, [10, 8, 1], 'tanh', 'sgd', dict(lr=0.05), 4, 25, 'regression', dict(loss='l1')),
        ('sgd_swa_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.05, momentum=0.9), 6, 16, 'classification',
         dict(swa=(2, 0.01, 2, 'cos'))),
        ('adam_cosine_swa_linear_tanh', 'breast_cancer', 100, [30, 8, 2], 'tanh', 'adam', dict(lr=0.01), 6, 32, 'classification',
         dict(schedule=('cosine:t_max=4', lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4), 'epoch'),
              swa=(3, 0.002, 2, 'linear'))),
        ('sgd_sam_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.05, momentum=0.9), 4, 16, 'classification',
         dict(sam=(0.05, False))),
        ('adam_asam_l2_clip_norm_tanh', 'breast_cancer', 100, [30, 8, 2], 'tanh', 'adam', dict(lr=0.01), 4, 32, 'classification',
         dict(sam=(0.5, True), l2=1e-2, clip_norm=0.5)),
        ('lion_relu', 'digits', 70, [64, 16, 10], 'relu', 'lion', dict(lr=0.003, weight_decay=0.1), 3, 16, 'classification'),
        ('sgd_lookahead_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.1, momentum=0.9), 4, 16, 'classification',
         dict(lookahead=(3, 0.5))),
        ('adam_lookahead_tanh', 'breast_cancer', 100, [30, 8, 2], 'tanh', 'adam', dict(lr=0.01), 4, 32, 'classification',
         dict(lookahead=(4, 0.8))),
        ('sgd_class_weight_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.1, momentum=0.9), 3, 16, 'classification',
         dict(loss='cross_entropy:weight=0.5|1|1.5|2|0.25|1|3|0.75|1.25|1')),
        ('adam_class_weight_label_smoothing_tanh', 'breast_cancer', 100, [30, 8, 2], 'tanh', 'adam', dict(lr=0.01), 4, 32,
         'classification', dict(loss='cross_entropy:label_smoothing=0.1,weight=0.3|1.7')),
        ('lbfgs_class_weight_tanh', 'breast_cancer', 100, [30, 6, 2], 'tanh', 'lbfgs',
         dict(history_size=10, line_search_fn='strong_wolfe'), 1, 100, 'classification', dict(loss='cross_entropy:weight=1.5|0.75')),
    ]
    for index, row in enumerate(table):
        case, data, rows, sizes, act, opt_name, kw, epochs, batch, task = row[:10]
        extras = row[10] if len(row) > 10 else {}
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
        losses, penalty_means = {}, {}
        for dtype, tdtype in (('float64', torch.float64), ('float32', torch.float32)):
            model = mlp(sizes, act).to(tdtype)
            model.load_state_dict({k: v.to(tdtype) for k, v in init.state_dict().items()})
            xt = torch.tensor(x, dtype=torch.float64).to(tdtype)
            yt = torch.tensor(y).long() if task == 'classification' else torch.tensor(y, dtype=torch.float64).to(tdtype).view(-1, 1)
            lossf = torch.nn.CrossEntropyLoss() if task == 'classification' else torch.nn.MSELoss()
            if extras.get('loss', '').startswith('cross_entropy:'):  # label_smoothing=X and weight=A|B|...
                keys = dict(kv.split('=') for kv in extras['loss'].split(':')[1].split(','))
                weight = torch.tensor([float(w) for w in keys['weight'].split('|')], dtype=tdtype) if 'weight' in keys else None
                lossf = torch.nn.CrossEntropyLoss(weight=weight, label_smoothing=float(keys.get('label_smoothing', 0)))
            robust = extras.get('loss', '').split(':')[0]
            if robust in ('huber', 'smooth_l1', 'l1'):
                value = float(extras['loss'].split('=')[1]) if '=' in extras['loss'] else None
                lossf = dict(huber=lambda: torch.nn.HuberLoss(delta=value), smooth_l1=lambda: torch.nn.SmoothL1Loss(beta=value),
                             l1=lambda: torch.nn.L1Loss())[robust]()
            if extras.get('loss') in ('mse', 'sigmoid_mse'):
                squash = torch.sigmoid if extras['loss'] == 'sigmoid_mse' else (lambda z: z)
                k = sizes[-1]
                lossf = lambda z, t, squash=squash, k=k: torch.nn.functional.mse_loss(
                    squash(z), torch.nn.functional.one_hot(t, k).to(z.dtype))
            opt = OPTIMIZERS[opt_name](model.parameters(), kw)
            sched = extras['schedule'][1](opt) if 'schedule' in extras else None
            per_step = 'schedule' in extras and extras['schedule'][2] == 'step'
            if 'swa' in extras:  # torch.optim.swa_utils' recipe: SWALR built after the schedule, before training
                swa_start, swa_lr, anneal_epochs, strategy = extras['swa']
                swa_model = torch.optim.swa_utils.AveragedModel(model)
                swa_sched = torch.optim.swa_utils.SWALR(opt, swa_lr=swa_lr, anneal_epochs=anneal_epochs, anneal_strategy=strategy)
            if 'lookahead' in extras:
                slow, inner_steps = [q.detach().clone() for q in model.parameters()], 0
            l1, l2 = extras.get('l1', 0.0), extras.get('l2', 0.0)
            def penalty():
                weights = [q for n, q in model.named_parameters() if n.endswith('weight')]
                return l1 * sum(w.abs().sum() for w in weights) + l2 / 2 * sum(w.pow(2).sum() for w in weights)
            per_epoch, penalties = [], []
            for e0 in range(epochs):
                batch_losses = []
                batch_penalties = []
                if opt_name == 'lbfgs':  # full batch: one step(closure) per epoch
                    def closure():
                        opt.zero_grad()
                        loss = lossf(model(xt), yt) + penalty()
                        loss.backward()
                        return loss
                    with torch.no_grad():  # the data loss and the penalty where the step starts
                        data_loss, start_penalty = lossf(model(xt), yt).item(), float(penalty())
                    opt.step(closure)
                    per_epoch.append(data_loss)
                    penalties.append(start_penalty)
                    continue
                for s in range(0, len(xt), batch):
                    opt.zero_grad()
                    loss = lossf(model(xt[s:s + batch]), yt[s:s + batch])
                    pen = penalty()
                    (loss + pen).backward()
                    batch_penalties.append(float(pen))
                    if 'sam' in extras:
                        sam_second_pass(model, *extras['sam'], lambda b=slice(s, s + batch): lossf(model(xt[b]), yt[b]) + penalty())
                    if 'clip_norm' in extras:
                        torch.nn.utils.clip_grad_norm_(model.parameters(), extras['clip_norm'])
                    if 'clip_value' in extras:
                        torch.nn.utils.clip_grad_value_(model.parameters(), extras['clip_value'])
                    opt.step()
                    if 'lookahead' in extras:  # every k inner steps the slow weights take alpha of the way, the fast restart there
                        inner_steps += 1
                        if inner_steps % extras['lookahead'][0] == 0:
                            with torch.no_grad():
                                for q, sq in zip(model.parameters(), slow):
                                    sq.add_(q - sq, alpha=extras['lookahead'][1])
                                    q.copy_(sq)
                    if per_step:
                        sched.step()
                    batch_losses.append(loss.item())
                if 'swa' in extras and e0 > swa_start - 1:  # ravine's start=E counts epochs from 1
                    swa_model.update_parameters(model)
                    swa_sched.step()
                elif sched is not None and not per_step:
                    sched.step()
                per_epoch.append(sum(batch_losses) / len(batch_losses))
                penalties.append(sum(batch_penalties) / len(batch_penalties))
            losses[dtype] = per_epoch
            if l1 or l2:
                penalty_means[dtype] = penalties
            saved = swa_model.module if 'swa' in extras else model  # the averaged model, as the recipe saves it
            save_safetensors(os.path.join(out_dir, f'{case}.{dtype}.safetensors'), saved.state_dict())
        case_out = dict(name=case, rows=rows, model=f'mlp:{"-".join(map(str, sizes))}:{act}',
                        optimizer=spec_of(opt_name, kw), epochs=epochs, batch=batch, task=task, train_loss=losses)
        if 'schedule' in extras:
            case_out.update(schedule=extras['schedule'][0], schedule_unit=extras['schedule'][2])
        for k in ('clip_norm', 'clip_value', 'l1', 'l2', 'loss'):
            if k in extras:
                case_out[k] = extras[k]
        if 'swa' in extras:
            case_out['swa'] = 'start={},lr={},anneal_epochs={},anneal_strategy={}'.format(*extras['swa'])
        if 'sam' in extras:
            case_out['sam'] = 'rho={},adaptive={}'.format(extras['sam'][0], str(extras['sam'][1]).lower())
        if 'lookahead' in extras:
            case_out['lookahead'] = 'k={},alpha={}'.format(*extras['lookahead'])
        if penalty_means:
            case_out.update(penalty=penalty_means)
        cases.append(case_out)
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


FUNCTIONS = {
    'rosenbrock': lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2,
    'beale': lambda x, y: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    'himmelblau': lambda x, y: (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2,
    'rastrigin': lambda x, y: 20 + x ** 2 - 10 * torch.cos(2 * math.pi * x) + y ** 2 - 10 * torch.cos(2 * math.pi * y),
    'quadratic:kappa=10': lambda x, y: 0.5 * (x ** 2 + 10 * y ** 2),
    'quadratic:kappa=100': lambda x, y: 0.5 * (x ** 2 + 100 * y ** 2),
    'saddle': lambda x, y: x ** 2 - y ** 2,
    'booth': lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    'matyas': lambda x, y: 0.26 * (x ** 2 + y ** 2) - 0.48 * x * y,
    'styblinski_tang': lambda x, y: 0.5 * (x ** 4 - 16 * x ** 2 + 5 * x + y ** 4 - 16 * y ** 2 + 5 * y),
}


class Yogi(torch.optim.Optimizer):
    """Yogi as pytorch-optimizer implements it (Zaheer et al. 2018): both moments start at initial_accumulator."""

    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3, initial_accumulator=1e-6, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, initial_accumulator=initial_accumulator,
                                      weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group['params']:
                grad = p.grad
                if group['weight_decay'] != 0:
                    grad = grad.add(p, alpha=group['weight_decay'])
                state = self.state[p]
                if not state:
                    state['step'] = 0
                    state['exp_avg'] = torch.full_like(p, group['initial_accumulator'])
                    state['exp_avg_sq'] = torch.full_like(p, group['initial_accumulator'])
                beta1, beta2 = group['betas']
                state['step'] += 1
                m, v = state['exp_avg'], state['exp_avg_sq']
                g2 = grad * grad
                v.addcmul_(torch.sign(v - g2), g2, value=-(1 - beta2))
                m.mul_(beta1).add_(grad, alpha=1 - beta1)
                denom = (v.sqrt() / math.sqrt(1 - beta2 ** state['step'])).add_(group['eps'])
                p.addcdiv_(m, denom, value=-group['lr'] / (1 - beta1 ** state['step']))


class Lion(torch.optim.Optimizer):
    """Lion (Chen et al. 2023, Algorithm 2) by the rule pytorch-optimizer ships: decoupled weight decay, the sign of
    beta1 m + (1 - beta1) g as the step, then m tracks g with beta2."""

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0, maximize=False):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay, maximize=maximize))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group['betas']
            for p in group['params']:
                grad = -p.grad if group['maximize'] else p.grad
                state = self.state[p]
                if not state:
                    state['exp_avg'] = torch.zeros_like(p)
                m = state['exp_avg']
                if group['weight_decay'] != 0:
                    p.mul_(1 - group['lr'] * group['weight_decay'])
                update = m.clone().mul_(beta1).add_(grad, alpha=1 - beta1).sign_()
                p.add_(update, alpha=-group['lr'])
                m.mul_(beta2).add_(grad, alpha=1 - beta2)


TORCH_OPTIMIZERS = {'sgd': torch.optim.SGD, 'adagrad': torch.optim.Adagrad, 'rmsprop': torch.optim.RMSprop,
                    'adadelta': torch.optim.Adadelta, 'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW,
                    'adamax': torch.optim.Adamax, 'nadam': torch.optim.NAdam, 'radam': torch.optim.RAdam, 'yogi': Yogi,
                    'rprop': torch.optim.Rprop, 'asgd': torch.optim.ASGD, 'lion': Lion}

TRAJECTORIES = [
    # (optimizer, kwargs, function, start, steps)
    ('sgd', dict(lr=1e-3), 'rosenbrock', (-1.2, 1.0), 60),
    ('sgd', dict(lr=0.15), 'quadratic:kappa=10', (1.0, 1.0), 40),       # below 2/lambda_max = 0.2: converges
    ('sgd', dict(lr=0.21), 'quadratic:kappa=10', (1.0, 1.0), 40),       # beyond it: y oscillates and grows
    ('sgd', dict(lr=0.015, momentum=0.9), 'quadratic:kappa=100', (1.0, 1.0), 80),
    ('sgd', dict(lr=0.015, momentum=0.9, nesterov=True), 'quadratic:kappa=100', (1.0, 1.0), 80),
    ('sgd', dict(lr=0.01, momentum=0.5, dampening=0.5, weight_decay=0.1), 'himmelblau', (0.5, -0.5), 50),
    ('sgd', dict(lr=0.05, maximize=True), 'matyas', (1.0, 2.0), 20),
    ('sgd', dict(lr=0.05), 'saddle', (1.0, 1e-3), 40),
    ('sgd', dict(lr=0.002, momentum=0.95), 'rastrigin', (2.2, -1.3), 60),
    ('adagrad', {}, 'beale', (1.0, 1.5), 60),
    ('adagrad', dict(lr=0.5, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.01), 'rosenbrock', (-1.2, 1.0), 60),
    ('rmsprop', {}, 'rosenbrock', (-1.2, 1.0), 60),
    ('rmsprop', dict(lr=0.01, alpha=0.9, momentum=0.7, centered=True, weight_decay=0.001), 'himmelblau', (-1.0, -1.0), 60),
    ('rmsprop', dict(lr=0.05, centered=True), 'saddle', (1.0, 0.01), 40),
    ('adadelta', {}, 'booth', (0.0, 0.0), 60),
    ('adadelta', dict(lr=0.5, rho=0.95, eps=1e-4, weight_decay=0.01), 'styblinski_tang', (0.5, -0.5), 60),
    ('adam', dict(lr=0.1), 'rosenbrock', (-1.2, 1.0), 80),
    ('adam', dict(lr=0.05, betas=(0.8, 0.9), amsgrad=True), 'beale', (1.0, 1.5), 60),
    ('adam', dict(lr=0.02, weight_decay=0.1, maximize=True), 'matyas', (1.0, 2.0), 30),
    ('adam', dict(lr=0.3), 'rastrigin', (2.2, -1.3), 60),
    ('adamw', {}, 'quadratic:kappa=10', (1.0, 1.0), 40),
    ('adamw', dict(lr=0.05, weight_decay=0.5, amsgrad=True), 'himmelblau', (0.5, -0.5), 60),
    ('adamax', {}, 'rosenbrock', (-1.2, 1.0), 60),
    ('adamax', dict(lr=0.1, betas=(0.5, 0.9), eps=1e-4, weight_decay=0.01), 'styblinski_tang', (0.5, -0.5), 60),
    ('nadam', {}, 'beale', (1.0, 1.5), 60),
    ('nadam', dict(lr=0.05, momentum_decay=0.01, weight_decay=0.01), 'rosenbrock', (-1.2, 1.0), 60),
    ('radam', {}, 'himmelblau', (0.5, -0.5), 60),
    ('radam', dict(lr=0.005, betas=(0.9, 0.99), weight_decay=0.01), 'booth', (0.0, 0.0), 60),
    ('yogi', {}, 'rosenbrock', (-1.2, 1.0), 60),
    ('yogi', dict(lr=0.1, betas=(0.8, 0.99), eps=1e-4, initial_accumulator=0.01, weight_decay=0.01), 'saddle', (1.0, 0.01), 40),
    ('rprop', {}, 'rosenbrock', (-1.2, 1.0), 80),
    ('rprop', dict(lr=0.1, etas=(0.3, 1.5), step_sizes=(1e-3, 0.5), maximize=True), 'matyas', (1.0, 2.0), 40),
    ('asgd', dict(lr=1e-3), 'rosenbrock', (-1.2, 1.0), 60),
    ('asgd', dict(lr=0.01, lambd=0.01, alpha=0.6, t0=10, weight_decay=0.01), 'himmelblau', (0.5, -0.5), 60),
    ('lion', dict(lr=0.01), 'rosenbrock', (-1.2, 1.0), 80),
    ('lion', dict(lr=0.03, betas=(0.8, 0.95), weight_decay=0.5, maximize=True), 'matyas', (1.0, 2.0), 40),
]


LBFGS_TRAJECTORIES = [
    # torch.optim.LBFGS stepped with max_iter=1: one row per iteration, as `ravine optimize` prints it
    (dict(history_size=10, line_search_fn='strong_wolfe'), 'rosenbrock', (-1.2, 1.0), 40),
    ({}, 'rosenbrock', (-1.2, 1.0), 40),
    (dict(history_size=3, line_search_fn='strong_wolfe'), 'himmelblau', (0.5, -0.5), 15),
    (dict(lr=0.5, history_size=5), 'beale', (1.0, 1.5), 30),
]


def lbfgs_spec(kw):
    return spec_of('lbfgs', {k: v for k, v in kw.items()})


def trajectories():
    out = []
    for kw, fn, start, steps in LBFGS_TRAJECTORIES:
        p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS([p], max_iter=1, **kw)
        f = FUNCTIONS[fn]

        def closure():
            opt.zero_grad()
            loss = f(p[0], p[1])
            loss.backward()
            return loss
        rows = [[p[0].item(), p[1].item(), f(p[0], p[1]).item()]]
        for _ in range(steps):
            opt.step(closure)
            with torch.no_grad():
                rows.append([p[0].item(), p[1].item(), f(p[0], p[1]).item()])
        out.append(dict(optimizer=lbfgs_spec(kw), function=fn, start=list(start), steps=steps, points=rows))
    for name, kw, fn, start, steps in TRAJECTORIES:
        p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        opt = TORCH_OPTIMIZERS[name]([p], **kw)
        f = FUNCTIONS[fn]
        rows = [[p[0].item(), p[1].item(), f(p[0], p[1]).item()]]
        for _ in range(steps):
            opt.zero_grad()
            f(p[0], p[1]).backward()
            opt.step()
            with torch.no_grad():
                rows.append([p[0].item(), p[1].item(), f(p[0], p[1]).item()])
        case = dict(optimizer=spec_of(name, kw), function=fn, start=list(start), steps=steps, points=rows)
        if name == 'asgd':  # the running average the optimizer keeps beside the iterates
            case.update(ax=opt.state[p]['ax'].tolist())
        out.append(case)
    with open(os.path.join(HERE, 'trajectories.json'), 'w') as fh:
        json.dump(out, fh, indent=0)


S = torch.optim.lr_scheduler
SCHEDULES = [
    # (ravine spec, base lr, steps, torch scheduler factory)
    ('step:step_size=7,gamma=0.5', 0.1, 40, lambda o: S.StepLR(o, step_size=7, gamma=0.5)),
    ('step:step_size=3', 1.0, 20, lambda o: S.StepLR(o, step_size=3)),
    ('multistep:milestones=5|12|30,gamma=0.3', 0.05, 40, lambda o: S.MultiStepLR(o, milestones=[5, 12, 30], gamma=0.3)),
    ('multistep:milestones=4|4|9', 0.2, 15, lambda o: S.MultiStepLR(o, milestones=[4, 4, 9])),
    ('exponential:gamma=0.93', 0.1, 60, lambda o: S.ExponentialLR(o, gamma=0.93)),
    ('cosine:t_max=25,eta_min=0.001', 0.1, 80, lambda o: S.CosineAnnealingLR(o, T_max=25, eta_min=0.001)),
    ('cosine:t_max=10', 0.3, 45, lambda o: S.CosineAnnealingLR(o, T_max=10)),
    ('linear:start_factor=0.2,end_factor=1.0,total_iters=10', 0.1, 20, lambda o: S.LinearLR(o, start_factor=0.2, end_factor=1.0, total_iters=10)),
    ('linear', 0.5, 10, lambda o: S.LinearLR(o)),
    ('linear:start_factor=1.0,end_factor=0.1,total_iters=7', 0.5, 12, lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=7)),
    ('polynomial:total_iters=30,power=2.0', 0.1, 40, lambda o: S.PolynomialLR(o, total_iters=30, power=2.0)),
    ('polynomial', 0.1, 8, lambda o: S.PolynomialLR(o)),
    ('constant:factor=0.5,total_iters=4', 0.05, 10, lambda o: S.ConstantLR(o, factor=0.5, total_iters=4)),
    ('constant', 0.3, 8, lambda o: S.ConstantLR(o)),
    ('cosine_restarts:t_0=10', 0.1, 35, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=10)),
    ('cosine_restarts:t_0=3,t_mult=2,eta_min=0.005', 0.4, 50, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.005)),
    ('onecycle:max_lr=0.5,total_steps=40,cycle_momentum=false', 0.1, 40, lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=40, cycle_momentum=False)),
    ('onecycle:max_lr=1.0,total_steps=50,pct_start=0.25,anneal_strategy=linear,div_factor=10.0,final_div_factor=100.0,three_phase=true,cycle_momentum=false',
     0.1, 50, lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=50, pct_start=0.25, anneal_strategy='linear', div_factor=10.,
                                     final_div_factor=100., three_phase=True, cycle_momentum=False)),
]
SEQUENTIAL = [
    # (ravine spec, base lr, steps, torch factory): SequentialLR, one schedule after another at its milestones
    ('linear:start_factor=0.1,total_iters=5+cosine:t_max=20', 0.1, 40,
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5), S.CosineAnnealingLR(o, T_max=20)], milestones=[5])),
    ('constant:factor=0.1,total_iters=2+exponential:gamma=0.9', 1.0, 12,
     lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.1, total_iters=2), S.ExponentialLR(o, gamma=0.9)], milestones=[2])),
    ('linear:start_factor=0.01,total_iters=4+step:step_size=3,gamma=0.5,for=7+cosine_restarts:t_0=5,t_mult=2,eta_min=0.001', 0.2, 40,
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.01, total_iters=4), S.StepLR(o, step_size=3, gamma=0.5),
                                  S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.001)], milestones=[4, 11])),
    ('cosine:t_max=6,eta_min=0.01,for=9+multistep:milestones=2|5', 0.3, 20,
     lambda o: S.SequentialLR(o, [S.CosineAnnealingLR(o, T_max=6, eta_min=0.01), S.MultiStepLR(o, milestones=[2, 5])], milestones=[9])),
]
CYCLIC = [
    # (ravine spec, torch kwargs, optimizer, steps): CyclicLR sets the rate itself and cycles SGD's momentum by default
    ('cyclic:base_lr=0.001,max_lr=0.1,step_size_up=5', dict(base_lr=0.001, max_lr=0.1, step_size_up=5), 'sgd', 33),
    ('cyclic:base_lr=0.01,max_lr=0.5,step_size_up=4,step_size_down=7,mode=triangular2,base_momentum=0.7,max_momentum=0.95',
     dict(base_lr=0.01, max_lr=0.5, step_size_up=4, step_size_down=7, mode='triangular2', base_momentum=0.7, max_momentum=0.95), 'sgd', 50),
    ('cyclic:base_lr=0.002,max_lr=0.2,step_size_up=3,mode=exp_range,gamma=0.97,cycle_momentum=false',
     dict(base_lr=0.002, max_lr=0.2, step_size_up=3, mode='exp_range', gamma=0.97, cycle_momentum=False), 'plain', 40),
]
PLATEAU_METRICS = [1.0, 0.9, 0.85, 0.85, 0.86, 0.849, 0.9, 0.95, 0.84, 0.84, 0.84, 0.84, 0.84, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
PLATEAU = [
    ('plateau:patience=2', 0.1, lambda o: S.ReduceLROnPlateau(o, patience=2)),
    ('plateau:factor=0.5,patience=1,threshold=0.05,threshold_mode=abs,cooldown=2,min_lr=0.02', 0.1,
     lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=1, threshold=0.05, threshold_mode='abs', cooldown=2, min_lr=0.02)),
    ('plateau:mode=max,patience=0', 0.1, lambda o: S.ReduceLROnPlateau(o, mode='max', patience=0)),
]


ONE_CYCLE_MOMENTUM = [
    # (ravine spec, torch kwargs): OneCycleLR's default cycle_momentum=True on SGD with momentum, and on Adam's beta1
    ('onecycle:max_lr=0.5,total_steps=40', dict(max_lr=0.5, total_steps=40), 'sgd'),
    ('onecycle:max_lr=0.1,total_steps=30,three_phase=true,base_momentum=0.8,max_momentum=0.9', dict(
        max_lr=0.1, total_steps=30, three_phase=True, base_momentum=0.8, max_momentum=0.9), 'adam'),
]


def stepped(opt, sched, steps, momentum=None):
    """The rate (and the momentum, read by momentum(param_group)) of each of steps optimizer steps."""
    rates, momenta = [], []
    for _ in range(steps):
        g = opt.param_groups[0]
        rates.append(g['lr'])
        if momentum:
            momenta.append(momentum(g))
        opt.step()
        sched.step()
    return rates, momenta


def schedules():
    out = []
    for spec, lr, steps, make in SCHEDULES + SEQUENTIAL:
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        rates, _ = stepped(opt, make(opt), steps)
        out.append(dict(schedule=spec, lr=lr, steps=steps, rates=rates))
    for spec, kw, opt_name in ONE_CYCLE_MOMENTUM:
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.1, momentum=0.9) if opt_name == 'sgd' else torch.optim.Adam([p], lr=0.1)
        rates, momenta = stepped(opt, S.OneCycleLR(opt, **kw), kw['total_steps'],
                                 lambda g: g['momentum'] if opt_name == 'sgd' else g['betas'][0])
        out.append(dict(schedule=spec, lr=0.1, steps=len(rates), rates=rates, momenta=momenta))
    for spec, kw, opt_name, steps in CYCLIC:
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9 if opt_name == 'sgd' else 0)
        cycles = kw.get('cycle_momentum', True)
        rates, momenta = stepped(opt, S.CyclicLR(opt, **kw), steps, (lambda g: g['momentum']) if cycles else None)
        out.append(dict(schedule=spec, lr=0.1, steps=steps, rates=rates, **(dict(momenta=momenta) if cycles else {})))
    for spec, lr, make in PLATEAU:
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=lr)
        sched = make(opt)
        rates = []
        for m in PLATEAU_METRICS:
            rates.append(opt.param_groups[0]['lr'])
            opt.step()
            sched.step(m)
        out.append(dict(schedule=spec, lr=lr, steps=len(rates), metrics=PLATEAU_METRICS, rates=rates))
    with open(os.path.join(HERE, 'schedules.json'), 'w') as fh:
        json.dump(out, fh, indent=0)


def flat_loss(model, x, y, lossf):
    names = [n for n, _ in model.named_parameters()]
    shapes = [p.shape for _, p in model.named_parameters()]

    def f(flat):
        params, at = {}, 0
        for n, sh in zip(names, shapes):
            k = int(np.prod(sh))
            params[n] = flat[at:at + k].view(sh)
            at += k
        return lossf(torch.nn.utils.stateless.functional_call(model, params, (x,)), y)
    return f


def curvature():
    out_dir = os.path.join(HERE, 'curvature')
    os.makedirs(out_dir, exist_ok=True)
    header, a = read_csv('digits', 300)
    x, y = a[:, :-1] / 16, a[:, -1]
    write_csv(os.path.join(out_dir, 'digits300.csv'), header, x, y, True)
    xt, yt = torch.tensor(x, dtype=torch.float64), torch.tensor(y).long()
    lossf = torch.nn.CrossEntropyLoss()
    cases = []
    for name, sizes, act, train_steps, full in [('small_tanh', [64, 8, 10], 'tanh', 0, True),
                                                 ('mlp2410_init', [64, 32, 10], 'relu', 0, False),
                                                 ('mlp2410_trained', [64, 32, 10], 'relu', 400, False)]:
        torch.manual_seed(7)
        model = mlp(sizes, act).double()
        if train_steps:
            opt = torch.optim.Adam(model.parameters(), lr=0.01)
            for _ in range(train_steps):
                opt.zero_grad()
                lossf(model(xt), yt).backward()
                opt.step()
        save_safetensors(os.path.join(out_dir, name + '.safetensors'), model.state_dict())
        flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
        f = flat_loss(model, xt, yt, lossf)
        w = flat.clone().requires_grad_(True)
        loss = f(w)
        grad, = torch.autograd.grad(loss, w)
        ev = torch.linalg.eigvalsh(torch.autograd.functional.hessian(f, flat))
        case = dict(name=name, model=f'mlp:{"-".join(map(str, sizes))}:{act}', params=flat.numel(), loss=loss.item(),
                    grad_norm=grad.norm().item(), trace=ev.sum().item(), top=ev.flip(0)[:5].tolist(), bottom=ev[:5].tolist(),
                    negative_fraction=(ev < -1e-8).double().mean().item())
        if full:
            case['eigenvalues'] = ev.tolist()
        cases.append(case)
    with open(os.path.join(out_dir, 'cases.json'), 'w') as fh:
        json.dump(cases, fh, indent=0)
    # the loss along (1 - a) init + a trained, as torch evaluates it
    torch.manual_seed(7)
    model = mlp([64, 32, 10], 'relu').double()
    init = {k: v.clone() for k, v in model.state_dict().items()}
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(400):
        opt.zero_grad()
        lossf(model(xt), yt).backward()
        opt.step()
    trained = {k: v.clone() for k, v in model.state_dict().items()}
    rows = []
    for a in [-0.5, -0.25, 0.0, 0.1, 0.5, 0.9, 1.0, 1.3]:
        model.load_state_dict({k: (1 - a) * init[k] + a * trained[k] for k in init})
        with torch.no_grad():
            z = model(xt)
            rows.append([a, lossf(z, yt).item(), (z.argmax(1) == yt).double().mean().item()])
    with open(os.path.join(out_dir, 'interpolation.json'), 'w') as fh:
        json.dump(rows, fh)


def randomize_batchnorm(model, gen):
    """Scale, shift and running statistics away from their defaults, so loading them is tested too."""
    with torch.no_grad():
        for m in model:
            if isinstance(m, torch.nn.BatchNorm1d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen, dtype=torch.float64) + 0.5)
                m.bias.copy_(torch.rand(m.bias.shape, generator=gen, dtype=torch.float64) * 0.4 - 0.2)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen, dtype=torch.float64) * 0.3)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen, dtype=torch.float64) * 1.5 + 0.5)
                m.num_batches_tracked.fill_(3)


def batchnorm():
    out_dir = os.path.join(HERE, 'batchnorm')
    os.makedirs(out_dir, exist_ok=True)
    cases = []
    # (case, data, rows, sizes, activation, optimizer, kwargs, epochs, batch[, swa]); last minibatches are ragged (never
    # 1 row); swa = (start, swa_lr, anneal_epochs, anneal_strategy), its averaged model's statistics by update_bn
    table = [
        ('sgd_momentum_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.05, momentum=0.9), 3, 16),
        ('adam_tanh', 'breast_cancer', 100, [30, 12, 8, 2], 'tanh', 'adam', dict(lr=0.01), 4, 32),
        ('lbfgs_full_batch_tanh', 'breast_cancer', 100, [30, 6, 2], 'tanh', 'lbfgs',
         dict(max_iter=8, history_size=10, line_search_fn='strong_wolfe'), 2, 100),
        ('sgd_swa_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.05, momentum=0.9), 5, 16, (2, 0.01, 2, 'cos')),
        ('sgd_sam_relu', 'digits', 70, [64, 16, 10], 'relu', 'sgd', dict(lr=0.05, momentum=0.9), 3, 16, None, (0.1, False)),
    ]
    for index, row in enumerate(table):
        case, data, rows, sizes, act, opt_name, kw, epochs, batch = row[:9]
        swa = row[9] if len(row) > 9 else None
        sam = row[10] if len(row) > 10 else None
        header, a = read_csv(data, rows)
        x, y = a[:, :-1], a[:, -1]
        if data != 'digits':
            x = standardized(x)
        write_csv(os.path.join(out_dir, case + '.csv'), header, x, y, True)
        torch.manual_seed(300 + index)
        init = mlp(sizes, act, batchnorm=True).double()
        randomize_batchnorm(init, torch.Generator().manual_seed(400 + index))
        save_safetensors(os.path.join(out_dir, case + '.init.safetensors'), init.state_dict())
        losses = {}
        for dtype, tdtype in (('float64', torch.float64), ('float32', torch.float32)):
            model = mlp(sizes, act, batchnorm=True).to(tdtype)
            model.load_state_dict({k: v.to(tdtype) if v.is_floating_point() else v for k, v in init.state_dict().items()})
            model.train()
            xt = torch.tensor(x, dtype=torch.float64).to(tdtype)
            yt = torch.tensor(y).long()
            lossf = torch.nn.CrossEntropyLoss()
            opt = OPTIMIZERS[opt_name](model.parameters(), kw)
            if swa:
                swa_model = torch.optim.swa_utils.AveragedModel(model)
                swa_sched = torch.optim.swa_utils.SWALR(opt, swa_lr=swa[1], anneal_epochs=swa[2], anneal_strategy=swa[3])
            per_epoch = []
            for e0 in range(epochs):
                if opt_name == 'lbfgs':  # full batch; the first closure call is the loss where the step starts
                    def closure():
                        opt.zero_grad()
                        loss = lossf(model(xt), yt)
                        loss.backward()
                        return loss
                    per_epoch.append(float(opt.step(closure)))
                    continue
                batch_losses = []
                for s0 in range(0, len(xt), batch):
                    opt.zero_grad()
                    loss = lossf(model(xt[s0:s0 + batch]), yt[s0:s0 + batch])
                    loss.backward()
                    if sam:
                        sam_second_pass(model, *sam, lambda b=slice(s0, s0 + batch): lossf(model(xt[b]), yt[b]))
                    opt.step()
                    batch_losses.append(loss.item())
                per_epoch.append(sum(batch_losses) / len(batch_losses))
                if swa and e0 > swa[0] - 1:
                    swa_model.update_parameters(model)
                    swa_sched.step()
            losses[dtype] = per_epoch
            if swa:  # the average's statistics from one pass over the loader, which here keeps the rows' order
                torch.optim.swa_utils.update_bn([xt[s0:s0 + batch] for s0 in range(0, len(xt), batch)], swa_model)
                model = swa_model.module
            save_safetensors(os.path.join(out_dir, f'{case}.{dtype}.safetensors'), model.state_dict())
        case_out = dict(name=case, rows=rows, model=f'mlp:{"-".join(map(str, sizes))}:{act}', optimizer=spec_of(opt_name, kw),
                        epochs=epochs, batch=batch, task='classification', train_loss=losses)
        if swa:
            case_out['swa'] = 'start={},lr={},anneal_epochs={},anneal_strategy={}'.format(*swa)
        if sam:
            case_out['sam'] = 'rho={},adaptive={}'.format(sam[0], str(sam[1]).lower())
        cases.append(case_out)
    with open(os.path.join(out_dir, 'train.json'), 'w') as f:
        json.dump(cases, f, indent=1)

    # the Hessian of the mean loss over all rows, in both modes, by torch.autograd.functional.hessian
    header, a = read_csv('digits', 120)
    x, y = a[:, :-1] / 16, a[:, -1]
    write_csv(os.path.join(out_dir, 'digits120.csv'), header, x, y, True)
    xt, yt = torch.tensor(x, dtype=torch.float64), torch.tensor(y).long()
    lossf = torch.nn.CrossEntropyLoss()
    spectra = []
    for name, sizes, act, steps in [('bn_tanh', [64, 6, 10], 'tanh', 20), ('bn_relu2', [64, 5, 4, 10], 'relu', 30)]:
        torch.manual_seed(11)
        model = mlp(sizes, act, batchnorm=True).double()
        opt = torch.optim.Adam(model.parameters(), lr=0.02)
        for s0 in range(steps):  # training moves the scale, shift and running statistics off their defaults
            rows = slice((s0 * 40) % 120, (s0 * 40) % 120 + 40)
            opt.zero_grad()
            lossf(model(xt[rows]), yt[rows]).backward()
            opt.step()
        save_safetensors(os.path.join(out_dir, name + '.safetensors'), model.state_dict())
        buffers = {k: v.clone() for k, v in model.named_buffers()}
        names = [n for n, _ in model.named_parameters()]
        shapes = [p.shape for _, p in model.named_parameters()]
        flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
        for mode in ('train', 'eval'):
            model.train(mode == 'train')

            def f(w):
                params, at = {}, 0
                for n, sh in zip(names, shapes):
                    k = int(np.prod(sh))
                    params[n] = w[at:at + k].view(sh)
                    at += k
                state = dict(params, **{k: v.clone() for k, v in buffers.items()})  # training mode updates copies
                return lossf(torch.nn.utils.stateless.functional_call(model, state, (xt,)), yt)
            w = flat.clone().requires_grad_(True)
            loss = f(w)
            grad, = torch.autograd.grad(loss, w)
            ev = torch.linalg.eigvalsh(torch.autograd.functional.hessian(f, flat))
            spectra.append(dict(name=name, model=f'mlp:{"-".join(map(str, sizes))}:{act}', bn_mode=mode, params=flat.numel(),
                                loss=loss.item(), grad_norm=grad.norm().item(), trace=ev.sum().item(), eigenvalues=ev.tolist()))
    with open(os.path.join(out_dir, 'hessian.json'), 'w') as fh:
        json.dump(spectra, fh, indent=0)


def gelu():
    """Inputs over GELU's whole float32 range: where it is x, its bend, its negative tail down to the underflow past
    x = -14.36, and around 0."""
    import mpmath as mp
    mp.mp.dps = 40
    rng = np.random.default_rng(11)
    x = np.concatenate([rng.uniform(-15, 10, 1500), rng.normal(0, 3, 500), rng.uniform(-14.6, -13.5, 200),
                        rng.uniform(-1e-3, 1e-3, 100), [-14.5, -14.36, -14.35, -10, -8.3, -6, -5.5, -1, -0.5, 0.5, 1, 6, 14.5, 30,
                                                      1e-30, -1e-30, 1e30, -1e30]]).astype(np.float32)
    exact = [float(mp.mpf(float(v)) * mp.erfc(-mp.mpf(float(v)) / mp.sqrt(2)) / 2) for v in x]
    with open(os.path.join(HERE, 'gelu.json'), 'w') as fh:
        json.dump(dict(x=[float(v) for v in x], gelu=exact), fh)


def activations64():
    """tanh, the sigmoid, SiLU, ELU, GELU, Softplus (with PyTorch's threshold: x above 20), SELU, Mish and Mish's
    derivative at float64 inputs over their whole range, exact to 25 digits (mpmath at 50), for the float64 kernels'
    accuracy in ulps: around tanh's polynomial's end (0.625), every exponent, the sigmoid's tail into the subnormals
    (below x = -708.4) and to 0 (past -745.1), ELU's e^x - 1 to -1, GELU's tail into the subnormals (below x = -37.5)
    and to 0 (past -38.58), Softplus's threshold and the ends of its log1p's two ranges (e^-|x| = 1/2), Mish's least
    slope (x = -1.19) and its tail (below -40), GELU's tanh form and its derivative, and special values. Infinities and
    NaN are the tests'."""
    import mpmath as mp
    mp.mp.dps = 50
    rng = np.random.default_rng(13)
    bits = rng.integers(0, 2 ** 63, 300, dtype=np.int64)
    every = bits.view(np.float64) * np.where(rng.random(300) < 0.5, -1, 1)  # every exponent
    x = np.concatenate([rng.uniform(-0.7, 0.7, 800), rng.uniform(-25, 25, 800), rng.uniform(-1e-3, 1e-3, 100),
                        rng.uniform(-746, -700, 300), every[np.isfinite(every)],
                        [0.625, -0.625, np.nextafter(0.625, 0), 0.6, 1e-300, -1e-300, 5e-324, 19.06, 19.1, 36.7, 37,
                         -708.4, -709, -744.4, -745.1, -745.2, 800, -800, 1e300, -1e300, -36.7, -37, -37.4, -37.5, -37.8,
                         -38.2, -40, -1e-10, -1e-200, -0.34, -0.35, -1.04, -1.05],
                        rng.uniform(-39, -25, 200),
                        [20, np.nextafter(20, 21), np.nextafter(20, 19), -20, math.log(2), -math.log(2),
                         np.nextafter(math.log(2), 1), np.nextafter(-math.log(2), -1), -1.19, -1.1924, -40.5, -39.5, -702,
                         -703, 700, -30, 30, 25, -25]])

    def exact(f):  # below 1e-400, far under double's least subnormal, as 0 (an exponent Java's BigDecimal can read); GELU
        # is x above 40 and under 1e-440 below -45, where mpmath's erfc would overflow on the largest inputs
        return [mp.nstr(y, 25, min_fixed=1, max_fixed=0) if abs(y) > mp.mpf('1e-400') else '0'
                for y in (f(mp.mpf(float(v))) for v in x)]
    sigmoid = lambda v: 1 / (1 + mp.exp(-v))
    softplus = lambda v: mp.log1p(mp.exp(v))
    # SELU's constants as doubles, the negative side's coefficient their product rounded (PyTorch's negcoef, ravine's too)
    selu_scale, selu_alpha = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
    selu_negative = mp.mpf(selu_scale * selu_alpha)
    # GELU's tanh form with PyTorch's constants as doubles: x sigmoid(2u), u = beta (x + kappa x^3); x past 40 either way
    # (e^-|2u| under 1e-2000)
    gelu_beta, gelu_kappa = mp.mpf(1.4142135623730951 * 1.1283791670955126 * 0.5), mp.mpf(0.044715)
    gelu_z = lambda v: 2 * gelu_beta * (v + gelu_kappa * v ** 3)
    gelu_tanh = lambda v: v if v > 40 else 0 if v < -40 else v * sigmoid(gelu_z(v))
    gelu_tanh_slope = lambda v: 1 if v > 40 else 0 if v < -40 else (
        sigmoid(gelu_z(v)) + v * 2 * gelu_beta * (1 + 3 * gelu_kappa * v ** 2) * sigmoid(gelu_z(v)) * (1 - sigmoid(gelu_z(v))))
    mish_t = lambda v: mp.tanh(softplus(v))
    mish_slope = lambda v: mish_t(v) + v * sigmoid(v) * (1 - mish_t(v) ** 2)
    with open(os.path.join(HERE, 'activations64.json'), 'w') as fh:
        json.dump(dict(x=[float(v) for v in x], tanh=exact(mp.tanh), sigmoid=exact(sigmoid),
                       silu=exact(lambda v: v * sigmoid(v)), elu=exact(lambda v: v if v >= 0 else mp.expm1(v)),
                       gelu=exact(lambda v: v if v > 40 else 0 if v < -45 else v * mp.erfc(-v / mp.sqrt(2)) / 2),
                       softplus=exact(lambda v: v if v > 20 else softplus(v)),
                       selu=exact(lambda v: mp.mpf(selu_scale) * v if v > 0 else selu_negative * mp.expm1(v)),
                       mish=exact(lambda v: v * mish_t(v)), mish_slope=exact(mish_slope), gelu_tanh=exact(gelu_tanh),
                       gelu_tanh_slope=exact(gelu_tanh_slope)), fh)


PARTS = dict(curvature=lambda: curvature(), schedules=lambda: schedules(), parity=lambda: parity_cases(),
             derivatives=lambda: derivatives(), trajectories=lambda: trajectories(), batchnorm=lambda: batchnorm(),
             gelu=lambda: gelu(), activations64=lambda: activations64())

if __name__ == '__main__':
    torch.set_num_threads(1)
    for part in sys.argv[1:] or PARTS:
        PARTS[part]()
    print('golden values written to', HERE)
