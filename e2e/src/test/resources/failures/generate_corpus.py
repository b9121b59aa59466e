#!/usr/bin/env python3
"""Writes the labelled failure corpus of SimilarFailuresEvaluationIT: one JSON file per root cause in corpus/.

Each root cause gets VARIANTS runs as different teams would hit it: their own project code and call sites, another
Python install (conda, venv, system dist-packages) and library version (line numbers), other numbers, sizes, shapes,
ranks, devices, hosts, paths and ids. Deterministic (seeded), so the corpus only changes when this file does.
Run: python3 generate_corpus.py   (from this directory)
"""
import json
import os
import random

VARIANTS = 7
SEED = 8

PY_ENVS = [
    "/opt/conda/lib/python3.10/site-packages",
    "/usr/local/lib/python3.11/dist-packages",
    "/home/{user}/.venv/lib/python3.12/site-packages",
    "/opt/conda/envs/train/lib/python3.11/site-packages",
    "/usr/lib/python3/dist-packages",
]
PY_STDLIB = ["/opt/conda/lib/python3.10", "/usr/lib/python3.11", "/usr/local/lib/python3.12"]

# Each team's own code: (file, function, source line); an entry point, then call sites to choose from.
TEAMS = {
    "vision": ("ada", "/home/ada/vision/imagenet", ("imagenet", "detection"), [
        ("train.py", "main", "trainer.fit(model, loaders)"),
        ("engine/trainer.py", "train_one_epoch", "loss = self.step(batch)"),
        ("engine/trainer.py", "step", "outputs = self.model(images)"),
        ("engine/hooks.py", "after_step", "self.checkpointer.maybe_save(step)"),
        ("models/resnet.py", "forward", "x = self.layer3(x)"),
        ("data/augment.py", "__call__", "img = self.transform(img)"),
    ]),
    "nlp": ("grace", "/workspace/llm", ("llm-pretrain", "summarise"), [
        ("pretrain.py", "<module>", "main(parse_args())"),
        ("llm/training/loop.py", "run", "metrics = self.train_step(batch)"),
        ("llm/training/loop.py", "train_step", "loss = self.model(**batch).loss"),
        ("llm/model/attention.py", "forward", "scores = q @ k.transpose(-2, -1)"),
        ("llm/data/collate.py", "collate", "return self.tokenizer.pad(features)"),
        ("llm/checkpoint.py", "save", "self.engine.save_checkpoint(path)"),
    ]),
    "speech": ("linus", "/mnt/jobs/asr", ("asr-conformer", "tts"), [
        ("run_asr.py", "cli_main", "trainer.fit(module, datamodule=dm)"),
        ("asr/lightning_module.py", "training_step", "logits = self.encoder(feats, lens)"),
        ("asr/lightning_module.py", "configure_optimizers", "return build_optimizer(self.cfg)"),
        ("asr/encoder/conformer.py", "forward", "x = block(x, mask)"),
        ("asr/data/dataset.py", "__getitem__", "feats = self.featurizer(wav)"),
    ]),
    "recsys": ("barbara", "/srv/recsys/ranker", ("ranking", "candidates"), [
        ("fit.py", "main", "model = pipeline.fit(train)"),
        ("ranker/pipeline.py", "fit", "self.booster = self.estimator.fit(X, y)"),
        ("ranker/features.py", "transform", "X = self.encoder.transform(frame)"),
        ("ranker/tower.py", "forward", "return self.mlp(torch.cat(parts, dim=1))"),
        ("ranker/eval.py", "evaluate", "preds = self.model.predict(X_val)"),
    ]),
    "forecasting": ("edsger", "/opt/ml/demand", ("demand", "pricing"), [
        ("train_model.py", "run", "result = experiment.execute()"),
        ("demand/experiment.py", "execute", "self.model.fit(train_ds, epochs=self.epochs)"),
        ("demand/models/lstm.py", "call", "h = self.encoder(inputs)"),
        ("demand/windowing.py", "make_windows", "return np.stack(windows)"),
        ("demand/tuning.py", "objective", "score = cross_validate(est, X, y)"),
    ]),
    "robotics": ("kim", "/home/kim/robotics/policy", ("policy-ppo", "sim2real"), [
        ("train_ppo.py", "main", "learner.learn(total_steps)"),
        ("policy/learner.py", "learn", "stats = self.update(rollouts)"),
        ("policy/learner.py", "update", "loss = self.loss_fn(batch)"),
        ("policy/networks.py", "__call__", "return self.head(features)"),
        ("policy/rollout.py", "collect", "obs = self.env.step(actions)"),
    ]),
}
JVM_TEAMS = {
    "vision": "com.acme.vision.labels", "nlp": "org.acme.nlp.corpus", "speech": "com.acme.speech.etl",
    "recsys": "com.acme.recsys.features", "forecasting": "io.acme.demand.batch", "robotics": "com.acme.robotics.logs",
}


class Variant:
    def __init__(self, rng, team):
        self.rng = rng
        self.team = team
        self.user, self.root, projects, self.code = TEAMS[team]
        self.project = rng.choice(projects)
        self.env = rng.choice(PY_ENVS).format(user=self.user)
        self.stdlib = rng.choice(PY_STDLIB)
        self.version_shift = rng.randint(-40, 60)

    def app_frames(self):
        entry, calls = self.code[0], self.code[1:]
        picked = sorted(self.rng.sample(range(len(calls)), self.rng.randint(1, 3)))
        return [entry] + [calls[i] for i in picked]

    def n(self, lo, hi):
        return self.rng.randint(lo, hi)

    def pick(self, *options):
        return self.rng.choice(options)

    def gib(self, lo, hi):
        return f"{self.rng.uniform(lo, hi):.2f} GiB"

    def host(self):
        return self.pick("gpu-node-", "a100-", "h100-pod-") + str(self.n(1, 64))

    def hexid(self, digits):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(digits))

    def python(self, lib, type_, message, chain=None):
        """A Python traceback: the team's frames, then the library's (file under the package root, function, line,
        source) innermost last; chain: an earlier (type, message, lib, link) printed first."""
        text = ""
        if chain:
            c_type, c_message, c_lib, link = chain
            text += self._block(c_lib, c_type, c_message, with_app=False)
            text += "\n" + ("The above exception was the direct cause of the following exception:" if link == "cause"
                            else "During handling of the above exception, another exception occurred:") + "\n\n"
        return text + self._block(lib, type_, message, with_app=True)

    def _block(self, lib, type_, message, with_app):
        lines = ["Traceback (most recent call last):"]
        if with_app:
            for file, func, src in self.app_frames():
                lines.append(f'  File "{self.root}/{file}", line {self.n(12, 400)}, in {func}')
                lines.append(f"    {src}")
        for file, func, line, src in lib:
            base = self.stdlib if file.startswith("stdlib:") else self.env
            path = file[len("stdlib:"):] if file.startswith("stdlib:") else file
            lines.append(f'  File "{base}/{path}", line {max(1, line + self.version_shift)}, in {func}')
            lines.append(f"    {src}")
        lines.append(f"{type_}: {message}" if message else type_)
        return "\n".join(lines) + "\n"

    def jvm(self, outer, frames_outer, causes):
        pkg = JVM_TEAMS[self.team]
        app = [f"{pkg}.{cls}.{m}({cls}.java:{self.n(20, 300)})" for cls, m in self.rng.sample(
            [("FeatureJob", "run"), ("FeatureJob", "lambda$run$" + str(self.n(0, 9))), ("Pipeline", "execute"),
             ("Main", "main"), ("Exporter", "write")], 3)]
        lines = [outer] + [f"\tat {f}" for f in frames_outer] + [f"\tat {f}" for f in app]
        for header, frames in causes:
            lines.append(f"Caused by: {header}")
            lines += [f"\tat {f}" for f in frames]
            lines.append(f"\t... {self.n(8, 40)} more")
        return "\n".join(lines) + "\n"


TORCH_MODULE = [("torch/nn/modules/module.py", "_wrapped_call_impl", 1511, "return self._call_impl(*args, **kwargs)"),
                ("torch/nn/modules/module.py", "_call_impl", 1520, "return forward_call(*args, **kwargs)")]
CONV = [("torch/nn/modules/conv.py", "forward", 460, "return self._conv_forward(input, self.weight, self.bias)"),
        ("torch/nn/modules/conv.py", "_conv_forward", 456, "return F.conv2d(input, weight, bias, self.stride,")]
LINEAR = [("torch/nn/modules/linear.py", "forward", 116, "return F.linear(input, self.weight, self.bias)")]
ATTN = [("torch/nn/functional.py", "scaled_dot_product_attention", 5373, "attn = torch.softmax(scores, dim=-1)")]
BACKWARD = [("torch/_tensor.py", "backward", 522, "torch.autograd.backward("),
            ("torch/autograd/__init__.py", "backward", 266, "Variable._execution_engine.run_backward(")]
LOADER = [("torch/utils/data/dataloader.py", "__next__", 631, "data = self._next_data()"),
          ("torch/utils/data/dataloader.py", "_next_data", 1329, "idx, data = self._get_data()")]
LIGHTNING_FIT = [("lightning/pytorch/trainer/trainer.py", "fit", 544, "call._call_and_handle_interrupt("),
                 ("lightning/pytorch/trainer/call.py", "_call_and_handle_interrupt", 44, "return trainer_fn(*args, **kwargs)"),
                 ("lightning/pytorch/loops/fit_loop.py", "run", 205, "self.advance()")]
HF_TRAIN = [("transformers/trainer.py", "train", 1859, "return inner_training_loop("),
            ("transformers/trainer.py", "_inner_training_loop", 2203, "tr_loss_step = self.training_step(model, inputs)")]
KERAS_FIT = [("keras/src/utils/traceback_utils.py", "error_handler", 122, "raise e.with_traceback(filtered_tb) from None"),
             ("keras/src/backend/tensorflow/trainer.py", "fit", 318, "logs = self.train_function(iterator)")]
TF_EXEC = [("tensorflow/python/eager/execute.py", "quick_execute", 53, "tensors = pywrap_tfe.TFE_Py_Execute(ctx._handle, device_name, op_name,")]
DS_STEP = [("deepspeed/runtime/engine.py", "step", 2169, "self._take_model_step(lr_kwargs)"),
           ("deepspeed/runtime/engine.py", "_take_model_step", 2075, "self.optimizer.step()"),
           ("deepspeed/runtime/fp16/fused_optimizer.py", "step", 242, "self._update_scale(self.overflow)"),
           ("deepspeed/runtime/fp16/fused_optimizer.py", "_update_scale", 381, "self.loss_scaler.update_scale(skip)"),
           ("deepspeed/runtime/fp16/loss_scaler.py", "update_scale", 175, "raise Exception(")]
DIST_AR = [("torch/distributed/c10d_logger.py", "wrapper", 72, "return func(*args, **kwargs)"),
           ("torch/distributed/distributed_c10d.py", "all_reduce", 2050, "work.wait()")]
ELASTIC = [("torch/distributed/run.py", "main", 812, "run(args)"),
           ("torch/distributed/launcher/api.py", "__call__", 135, "return launch_agent(self._config, self._entrypoint, list(args))"),
           ("torch/distributed/launcher/api.py", "launch_agent", 268, "raise ChildFailedError(")]
SK_VALIDATE = [("sklearn/base.py", "wrapper", 1152, "return fit_method(estimator, *args, **kwargs)"),
               ("sklearn/utils/validation.py", "check_array", 1003, "_assert_all_finite("),
               ("sklearn/utils/validation.py", "_assert_all_finite", 126, "_assert_all_finite_element_wise(")]
XGB_TRAIN = [("xgboost/core.py", "inner_f", 730, "return func(**kwargs)"),
             ("xgboost/training.py", "train", 181, "bst.update(dtrain, i, obj)"),
             ("xgboost/core.py", "update", 2050, "_check_call("),
             ("xgboost/core.py", "_check_call", 282, "raise XGBoostError(py_str(_LIB.XGBGetLastError()))")]
RAY_GET = [("ray/_private/auto_init_hook.py", "auto_init_wrapper", 24, "return fn(*args, **kwargs)"),
           ("ray/_private/client_mode_hook.py", "wrapper", 103, "return func(*args, **kwargs)"),
           ("ray/_private/worker.py", "get", 2624, "raise value.as_instanceof_cause()")]
JAX_JIT = [("jax/_src/traceback_util.py", "reraise_with_filtered_traceback", 179, "return fun(*args, **kwargs)"),
           ("jax/_src/pjit.py", "cache_miss", 257, "outs, out_flat, out_tree, args_flat, jaxpr = _python_pjit_helper("),
           ("jax/_src/pjit.py", "_python_pjit_helper", 167, "out_flat = pjit_p.bind(*args_flat, **params)")]


def signal_handler(v):
    return [("stdlib:threading.py", "wait", 320, "waiter.acquire()")] if v.rng.random() < 0.5 else LOADER + [
        ("torch/utils/data/dataloader.py", "_get_data", 1295, "success, data = self._try_get_data()")]


def slurm(v, reason):
    job = v.n(1_000_000, 9_999_999)
    stamp = f"2026-{v.n(1, 11):02d}-{v.n(1, 28):02d}T{v.n(0, 23):02d}:{v.n(0, 59):02d}:{v.n(0, 59):02d}"
    msg = f"received SIGTERM: slurmstepd: error: *** STEP {job}.0 ON {v.host()} CANCELLED AT {stamp} DUE TO {reason} ***"
    handler = [(f"{v.root.split('/')[-1]}_utils/signals.py", "handle_sigterm", "raise SystemExit(msg)")]
    tb = v.python(signal_handler(v), "SystemExit", msg)
    # the team's signal handler is the innermost frame, whatever it interrupted
    return "SystemExit", msg, tb.replace("SystemExit: ", f'  File "{v.root}/{handler[0][0]}", line {v.n(10, 60)}, in '
                                                      f'handle_sigterm\n    raise SystemExit(msg)\nSystemExit: ', 1)


def child_failed(v, exitcode, signal):
    pid = v.n(1000, 99999)
    rank = v.n(0, 15)
    msg = ("\n============================================================\n"
           f"{v.pick('train.py', 'pretrain.py', 'main.py')} FAILED\n"
           "------------------------------------------------------------\nFailures:\n  <NO_OTHER_FAILURES>\n"
           "------------------------------------------------------------\nRoot Cause (first observed failure):\n[0]:\n"
           f"  time      : 2026-{v.n(1, 11):02d}-{v.n(1, 28):02d}_{v.n(0, 23):02d}:{v.n(10, 59)}:{v.n(10, 59)}\n"
           f"  host      : {v.host()}.cluster.internal\n  rank      : {rank} (local_rank: {rank % 8})\n"
           f"  exitcode  : {exitcode} (pid: {pid})\n  error_file: <N/A>\n"
           f"  traceback : Signal {-exitcode} ({signal}) received by PID {pid}\n"
           "============================================================")
    tb = "Traceback (most recent call last):\n" + "".join(
        f'  File "{v.env}/{f}", line {max(1, l + v.version_shift)}, in {fn}\n    {src}\n' for f, fn, l, src in ELASTIC
    ) + f"torch.distributed.elastic.multiprocessing.errors.ChildFailedError: {msg}\n"
    return "torch.distributed.elastic.multiprocessing.errors.ChildFailedError", msg, tb


def torch_cuda_oom(v):
    total = v.pick(39.39, 79.15, 23.65, 15.77)
    msg = (f"CUDA out of memory. Tried to allocate {v.gib(0.2, 12)}. GPU {v.n(0, 7)} has a total capacity of "
           f"{total:.2f} GiB of which {v.n(1, 900)}.{v.n(10, 99)} MiB is free. Process {v.n(1000, 99999)} has "
           f"{total - 0.3:.2f} GiB memory in use. Of the allocated memory {v.gib(10, 30)} is allocated by PyTorch, "
           f"and {v.n(100, 900)}.{v.n(10, 99)} MiB is reserved by PyTorch but unallocated. If reserved but unallocated "
           "memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.")
    lib = TORCH_MODULE + v.pick(CONV, LINEAR, ATTN, BACKWARD)
    return "torch.cuda.OutOfMemoryError", msg, v.python(lib, "torch.cuda.OutOfMemoryError", msg)


def torch_host_oom(v):
    msg = (f"[enforce fail at alloc_cpu.cpp:{v.pick(83, 114)}] data. DefaultCPUAllocator: not enough memory: you "
           f"tried to allocate {v.n(10**9, 9 * 10**10)} bytes.")
    lib = v.pick([("torch/serialization.py", "load", 1026, "return _load("),
                  ("torch/serialization.py", "_load", 1438, "result = unpickler.load()")],
                 TORCH_MODULE + LINEAR, [("torch/functional.py", "stack", 402, "return torch.cat(tensors, dim)")])
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg)


def dataloader_killed(v):
    pids = ", ".join(str(v.n(1000, 99999)) for _ in range(v.n(1, 3)))
    msg = f"DataLoader worker (pid(s) {pids}) exited unexpectedly"
    inner = ("RuntimeError", f"DataLoader worker (pid {v.n(1000, 99999)}) is killed by signal: Killed. ",
             LOADER + [("torch/utils/data/dataloader.py", "_try_get_data", 1133, "data = self._data_queue.get(timeout=timeout)"),
                       ("stdlib:multiprocessing/queues.py", "get", 113, "if not self._poll(timeout):"),
                       ("torch/utils/data/_utils/signal_handling.py", "handler", 66, "_error_if_any_worker_fails()")],
             "cause")
    lib = LOADER + [("torch/utils/data/dataloader.py", "_try_get_data", 1146, "raise RuntimeError(f'DataLoader worker (pid(s) {pids_str}) exited unexpectedly') from e")]
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg, chain=inner)


def tf_gpu_oom(v):
    shape = ",".join(str(v.pick(16, 32, 64, 128, 256, 512, 1024)) for _ in range(v.n(2, 4)))
    msg = (f"Graph execution error:\n\nOOM when allocating tensor with shape[{shape}] and type float on "
           f"/job:localhost/replica:0/task:0/device:GPU:{v.n(0, 7)} by allocator GPU_{v.n(0, 7)}_bfc\n"
           f"\t [[{{{{node {v.pick('sequential/lstm/while/body', 'model/dense_2/MatMul', 'model/conv2d_3/Conv2D')}}}}}]]\n"
           "Hint: If you want to see a list of allocated tensors when OOM happens, add report_tensor_allocations_upon_oom "
           f"to RunOptions for current allocation info. [Op:__inference_train_function_{v.n(1000, 99999)}]")
    t = "tensorflow.python.framework.errors_impl.ResourceExhaustedError"
    return t, msg, v.python(KERAS_FIT + TF_EXEC, t, msg)


def jax_oom(v):
    msg = (f"RESOURCE_EXHAUSTED: Out of memory while trying to allocate {v.n(10**8, 5 * 10**10)} bytes. "
           f"BufferAssignment OOM Debugging.\nBufferAssignment stats:\n             parameter allocation: {v.gib(0.5, 9)}\n"
           f"              constant allocation: {v.n(1, 900)}B\n        maybe_live_out allocation: {v.gib(0.5, 9)}")
    t = "jaxlib.xla_extension.XlaRuntimeError"
    return t, msg, v.python(JAX_JIT + [("jax/_src/interpreters/pxla.py", "__call__", 1209, "results = self.xla_executable.execute_sharded(")], t, msg)


def xgboost_gpu_oom(v):
    msg = (f"[{v.n(0, 23):02d}:{v.n(0, 59):02d}:{v.n(0, 59):02d}] /workspace/src/c_api/../common/device_helpers.cuh:"
           f"{v.pick(431, 483)}: Memory allocation error on worker {v.n(0, 7)}: std::bad_alloc: cudaErrorMemoryAllocation: "
           f"out of memory\n- Free memory: {v.n(10**5, 10**9)}\n- Requested memory: {v.n(10**9, 10**11)}")
    return "xgboost.core.XGBoostError", msg, v.python(XGB_TRAIN, "xgboost.core.XGBoostError", msg)


def ray_node_oom(v):
    used, total = v.rng.uniform(55, 60), v.pick(61.03, 62.79)
    msg = (f"Task was killed due to the node running low on memory.\nMemory on the node (IP: 10.{v.n(0, 9)}.{v.n(0, 255)}."
           f"{v.n(1, 254)}, ID: {v.hexid(56)}) where the task (task ID: {v.hexid(48)}, name={v.pick('preprocess_shard', 'embed_batch', 'rollout_worker.collect')}, "
           f"pid={v.n(1000, 99999)}, memory used={v.rng.uniform(5, 30):.2f}GB) was running was {used:.2f}GB / {total:.2f}GB "
           f"({used / total:.6f}), which exceeds the memory usage threshold of 0.95. Ray killed this worker (ID: "
           f"{v.hexid(56)}) because it was the most recently scheduled task; to see more information about memory usage "
           "on this node, use `ray logs raylet.out -ip 10.0.0.1`.")
    return "ray.exceptions.OutOfMemoryError", msg, v.python(RAY_GET, "ray.exceptions.OutOfMemoryError", msg)


def spark_heap(v):
    stage, task = v.n(1, 90), v.n(0, 400)
    outer = (f"org.apache.spark.SparkException: Job aborted due to stage failure: Task {task} in stage {stage}.0 failed 4 "
             f"times, most recent failure: Lost task {task}.3 in stage {stage}.0 (TID {v.n(100, 9999)}) (10.{v.n(0, 9)}."
             f"{v.n(0, 255)}.{v.n(1, 254)} executor {v.n(1, 40)}): java.lang.OutOfMemoryError: Java heap space")
    frames = ["org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2844)",
              "org.apache.spark.scheduler.DAGScheduler.$anonfun$abortStage$2(DAGScheduler.scala:2780)",
              "org.apache.spark.sql.execution.SparkPlan.executeCollect(SparkPlan.scala:448)"]
    cause = ("java.lang.OutOfMemoryError: Java heap space",
             [v.pick("java.base/java.util.Arrays.copyOf(Arrays.java:3537)", "java.base/java.lang.StringCoding.encode(StringCoding.java:350)"),
              "org.apache.spark.sql.catalyst.expressions.UnsafeRow.copy(UnsafeRow.java:493)",
              "org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:620)"])
    return "org.apache.spark.SparkException", outer, v.jvm(outer, frames, [cause])


def spark_yarn_killed(v):
    stage, task = v.n(1, 90), v.n(0, 400)
    used = v.rng.uniform(10.1, 12.0)
    reason = (f"ExecutorLostFailure (executor {v.n(1, 40)} exited caused by one of the running tasks) Reason: Container "
              f"killed by YARN for exceeding physical memory limits. {used:.1f} GB of 10 GB physical memory used. "
              "Consider boosting spark.executor.memoryOverhead.")
    outer = (f"org.apache.spark.SparkException: Job aborted due to stage failure: Task {task} in stage {stage}.0 failed 4 "
             f"times, most recent failure: Lost task {task}.3 in stage {stage}.0 (TID {v.n(100, 9999)}) "
             f"(ip-10-0-{v.n(0, 255)}-{v.n(1, 254)}.ec2.internal executor {v.n(1, 40)}): {reason}")
    frames = ["org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2844)",
              "org.apache.spark.scheduler.DAGScheduler.$anonfun$abortStage$2(DAGScheduler.scala:2780)",
              "org.apache.spark.sql.execution.SparkPlan.executeCollect(SparkPlan.scala:448)"]
    return "org.apache.spark.SparkException", outer, v.jvm(outer, frames, [])


def nan_anomaly(v):
    fn = v.pick("LogSoftmaxBackward0", "DivBackward0", "PowBackward0", "SqrtBackward0")
    msg = f"Function '{fn}' returned nan values in its {v.pick('0th', '1th')} output."
    return "RuntimeError", msg, v.python(BACKWARD, "RuntimeError", msg)


def lightning_nan_params(v):
    name = v.pick("encoder.layers.3.self_attn.in_proj_weight", "decoder.proj.bias", "head.fc.weight", "blocks.11.mlp.fc2.weight")
    msg = f"Detected nan and/or inf values in `{name}`. Check your forward pass for numerically unstable operations."
    lib = LIGHTNING_FIT + [("lightning/pytorch/loops/optimization/automatic.py", "_training_step", 319, "detect_nan_parameters(self.trainer.lightning_module)"),
                           ("lightning/pytorch/utilities/finite_checks.py", "detect_nan_parameters", 38, "raise ValueError(")]
    return "ValueError", msg, v.python(lib, "ValueError", msg)


def exploding_gradients(v):
    msg = (f"The total norm of order {v.pick('2.0', '2.0', '1.0')} for gradients from `parameters` is non-finite, so it "
           "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
           "`error_if_nonfinite=False`")
    lib = [("torch/nn/utils/clip_grad.py", "_no_grad_wrapper", 21, "return func(*args, **kwargs)"),
           ("torch/nn/utils/clip_grad.py", "clip_grad_norm_", 63, "raise RuntimeError(")]
    if v.rng.random() < 0.4:
        lib = [("accelerate/accelerator.py", "clip_grad_norm_", 2157, "return torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=norm_type)")] + lib
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg)


def loss_scale_collapse(v):
    msg = "Current loss scale already at minimum - cannot decrease scale anymore. Exiting run."
    return "Exception", msg, v.python(DS_STEP, "Exception", msg)


def jax_debug_nans(v):
    msg = f"invalid value (nan) encountered in jit({v.pick('train_step', 'update', 'loss_and_grad', 'step_fn')})"
    lib = JAX_JIT + [("jax/_src/interpreters/pxla.py", "__call__", 1213, "dispatch.check_special(self.name, arrays)"),
                     ("jax/_src/dispatch.py", "_check_special", 365, "raise FloatingPointError(f\"invalid value ({name}) encountered in {name}\")")]
    return "FloatingPointError", msg, v.python(lib, "FloatingPointError", msg)


def sklearn_nan(v):
    est = v.pick("LogisticRegression", "StandardScaler", "GradientBoostingRegressor", "SVC")
    msg = (f"Input X contains NaN.\n{est} does not accept missing values encoded as NaN natively. For supervised learning, "
           "you might want to consider sklearn.ensemble.HistGradientBoostingClassifier and Regressor which accept missing "
           "values encoded as NaNs natively.")
    return "ValueError", msg, v.python(SK_VALIDATE, "ValueError", msg)


def nccl_timeout(v):
    op = v.pick("ALLREDUCE", "ALLREDUCE", "BROADCAST", "_ALLGATHER_BASE")
    numel = v.n(1000, 10**8)
    msg = (f"[Rank {v.n(0, 63)}] Watchdog caught collective operation timeout: WorkNCCL(SeqNum={v.n(100, 99999)}, OpType={op}, "
           f"NumelIn={numel}, NumelOut={numel}, Timeout(ms)=1800000) ran for {1800000 + v.n(1, 900)} milliseconds before timing out.")
    t = "torch.distributed.DistBackendError"
    return t, msg, v.python(DIST_AR, t, msg)


def nccl_hang(v):
    return child_failed(v, -6, "SIGABRT")


def rendezvous_failure(v):
    port = v.pick(29500, 29400, 12355)
    msg = (f"The client socket has timed out after {v.pick(600, 900, 1800)}s while trying to connect to "
           f"({v.host()}.cluster.internal, {port}).")
    lib = [("torch/distributed/elastic/utils/store.py", "_try_detecting_missing_ranks" if v.rng.random() < 0.3 else "get_all", 64, "store.get(key)"),
           ("torch/distributed/rendezvous.py", "_create_c10d_store", 185, "return TCPStore("),
           ("torch/distributed/rendezvous.py", "_env_rendezvous_handler", 254, "store = _create_c10d_store(master_addr, master_port, rank, world_size, timeout, use_libuv)")]
    t = "torch.distributed.DistNetworkError"
    return t, msg, v.python(lib[1:], t, msg)


def host_oom_killed_rank(v):
    return child_failed(v, -9, "SIGKILL")


def ddp_unused(v):
    idx = ", ".join(str(v.n(0, 400)) for _ in range(v.n(1, 4)))
    msg = ("Expected to have finished reduction in the prior iteration before starting a new one. This error indicates "
           "that your module has parameters that were not used in producing loss. You can enable unused parameter "
           "detection by passing the keyword argument `find_unused_parameters=True` to "
           "`torch.nn.parallel.DistributedDataParallel`, and by \nmaking sure all `forward` function outputs participate "
           f"in calculating loss.\nParameter indices which did not receive grad for rank {v.n(0, 7)}: {idx}")
    lib = TORCH_MODULE + [("torch/nn/parallel/distributed.py", "forward", 1519, "inputs, kwargs = self._pre_forward(*inputs, **kwargs)"),
                          ("torch/nn/parallel/distributed.py", "_pre_forward", 1413, "if torch.is_grad_enabled() and self.reducer._rebuild_buckets():")]
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg)


def deepspeed_batch(v):
    micro, acc, world = v.pick(2, 4, 8), v.pick(1, 4, 8), v.pick(8, 16, 32)
    msg = (f"Check batch related parameters. train_batch_size is not equal to micro_batch_per_gpu * gradient_acc_step * "
           f"world_size {micro * acc * world * 2} != {micro} * {acc} * {world}")
    lib = [("deepspeed/__init__.py", "initialize", 176, "engine = DeepSpeedEngine(args=args,"),
           ("deepspeed/runtime/engine.py", "__init__", 262, "self._configure_with_arguments(args, mpu)"),
           ("deepspeed/runtime/config.py", "_configure_train_batch_size", 895, "self._batch_assertion()"),
           ("deepspeed/runtime/config.py", "_batch_assertion", 843, "assert train_batch == micro_batch * grad_acc * self.world_size, (")]
    return "AssertionError", msg, v.python(lib, "AssertionError", msg)


def preemption(v):
    return slurm(v, "PREEMPTION")


def wall_clock(v):
    return slurm(v, "TIME LIMIT")


def spot_sigterm(v):
    msg = f"Process {v.n(1000, 99999)} got signal: 15"
    t = "torch.distributed.elastic.multiprocessing.api.SignalException"
    lib = ELASTIC[:2] + [("torch/distributed/elastic/agent/server/api.py", "run", 727, "result = self._invoke_run(role)"),
                         ("torch/distributed/elastic/agent/server/api.py", "_invoke_run", 868, "time.sleep(monitor_interval)"),
                         ("torch/distributed/elastic/multiprocessing/api.py", "_terminate_process_handler", 62, "raise SignalException(f\"Process {os.getpid()} got signal: {sigval}\", sigval=sigval)")]
    return t, msg, v.python(lib, t, msg)


def state_dict_size(v):
    model = v.pick("ResNet", "VisionTransformer", "ConformerEncoder", "GPT2LMHeadModel")
    a, b = v.pick(1000, 21843, 512), v.pick(10, 2, 100, 37)
    d = v.pick(768, 2048, 1024)
    msg = (f"Error(s) in loading state_dict for {model}:\n\tsize mismatch for {v.pick('fc', 'head', 'classifier', 'lm_head')}.weight: "
           f"copying a param with shape torch.Size([{a}, {d}]) from checkpoint, the shape in current model is torch.Size([{b}, {d}]).")
    lib = [("torch/nn/modules/module.py", "load_state_dict", 2153, "raise RuntimeError('Error(s) in loading state_dict for {}:\\n\\t{}'.format(")]
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg)


def state_dict_keys(v):
    model = v.pick("ResNet", "VisionTransformer", "ConformerEncoder", "GPT2LMHeadModel")
    keys = [v.pick("encoder", "backbone", "blocks", "layers") + f".{i}." + v.pick("weight", "bias", "norm.weight") for i in range(v.n(2, 4))]
    missing = ", ".join(f'"{k}"' for k in keys)
    unexpected = ", ".join(f'"module.{k}"' for k in keys)
    msg = (f"Error(s) in loading state_dict for {model}:\n\tMissing key(s) in state_dict: {missing}. \n\t"
           f"Unexpected key(s) in state_dict: {unexpected}. ")
    lib = [("torch/nn/modules/module.py", "load_state_dict", 2153, "raise RuntimeError('Error(s) in loading state_dict for {}:\\n\\t{}'.format(")]
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg)


def hf_model_not_found(v):
    repo = v.pick("meta-llama/Llama-2-7b-hf", "acme/bert-base-internal", "mistralai/Mistral-7B-v0.1", "acme-research/asr-large-v3")
    inner = ("huggingface_hub.utils._errors.RepositoryNotFoundError",
             f"401 Client Error. (Request ID: Root=1-{v.hexid(8)}-{v.hexid(24)})\n\nRepository Not Found for url: "
             f"https://huggingface.co/{repo}/resolve/main/config.json.\nPlease make sure you specified the correct `repo_id` and `repo_type`.",
             [("huggingface_hub/utils/_errors.py", "hf_raise_for_status", 286, "raise RepositoryNotFoundError(message, response) from e")],
             "context")
    msg = (f"{repo} is not a local folder and is not a valid model identifier listed on 'https://huggingface.co/models'\n"
           "If this is a private repository, make sure to pass a token having permission to this repo either by logging "
           "in with `huggingface-cli login` or by passing `token=<your_token>`")
    lib = [("transformers/models/auto/auto_factory.py", "from_pretrained", 526, "config, kwargs = AutoConfig.from_pretrained("),
           ("transformers/utils/hub.py", "cached_file", 406, "raise EnvironmentError(")]
    return "OSError", msg, v.python(lib, "OSError", msg, chain=inner)


def disk_full(v):
    path = f"/{v.pick('mnt/ckpt', 'scratch', 'data/checkpoints')}/{v.project}/step_{v.n(1000, 90000)}/model.safetensors"
    msg = f"[Errno 28] No space left on device: '{path}'"
    lib = v.pick(HF_TRAIN[:1] + [("transformers/trainer.py", "_save_checkpoint", 2660, "self.save_model(output_dir, _internal_call=True)"),
                                 ("safetensors/torch.py", "save_file", 284, "serialize_file(_flatten(tensors), filename, metadata=metadata)")],
                 [("torch/serialization.py", "save", 618, "with _open_zipfile_writer(f) as opened_zipfile:"),
                  ("torch/serialization.py", "__init__", 492, "super().__init__(torch._C.PyTorchFileWriter(str(name)))")])
    return "OSError", msg, v.python(lib, "OSError", msg)


def linear_shape(v):
    bs = v.pick(8, 16, 32, 64, 128)
    msg = f"mat1 and mat2 shapes cannot be multiplied ({bs}x{v.pick(2048, 4096, 512)} and {v.pick(1024, 768, 256)}x{v.pick(10, 2, 1000)})"
    return "RuntimeError", msg, v.python(TORCH_MODULE + LINEAR, "RuntimeError", msg)


def device_mismatch(v):
    msg = (f"Expected all tensors to be on the same device, but found at least two devices, cuda:{v.n(0, 7)} and cpu! (when "
           f"checking argument for argument {v.pick('mat1', 'index', 'weight')} in method {v.pick('wrapper_CUDA_addmm', 'wrapper_CUDA__index_select', 'wrapper_CUDA__native_layer_norm')})")
    lib = TORCH_MODULE + v.pick(LINEAR, [("torch/nn/modules/sparse.py", "forward", 162, "return F.embedding("),
                                         ("torch/nn/functional.py", "embedding", 2233, "return torch.embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)")])
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg)


def dtype_mismatch(v):
    a, b = v.pick(("Half", "Float"), ("BFloat16", "Float"), ("Float", "Half"))
    msg = f"expected mat1 and mat2 to have the same dtype, but got: {a.lower() if a != 'BFloat16' else 'c10::BFloat16'} != {b.lower()}"
    return "RuntimeError", msg, v.python(TORCH_MODULE + LINEAR, "RuntimeError", msg)


def keras_input_shape(v):
    want = v.pick(784, 128, 64, 3072)
    got = v.pick("(None, 28, 28)", "(32, 127)", "(None, 32, 32, 3)", "(64, 63)")
    msg = (f"Input 0 of layer \"dense_{v.n(0, 9)}\" is incompatible with the layer: expected axis -1 of input shape to have "
           f"value {want}, but received input with shape {got}")
    lib = KERAS_FIT + [("keras/src/layers/input_spec.py", "assert_input_compatibility", 227, "raise ValueError(")]
    return "ValueError", msg, v.python(lib, "ValueError", msg)


def sklearn_features(v):
    n = v.n(5, 300)
    est = v.pick("StandardScaler", "RandomForestClassifier", "ColumnTransformer", "Ridge")
    msg = f"X has {n + v.n(1, 9)} features, but {est} is expecting {n} features as input."
    lib = [("sklearn/utils/_set_output.py", "wrapped", 157, "data_to_wrap = f(self, X, *args, **kwargs)"),
           ("sklearn/base.py", "_validate_data", 626, "self._check_n_features(X, reset=reset)"),
           ("sklearn/base.py", "_check_n_features", 415, "raise ValueError(")]
    return "ValueError", msg, v.python(lib, "ValueError", msg)


def cuda_device_assert(v):
    msg = ("CUDA error: device-side assert triggered\nCUDA kernel errors might be asynchronously reported at some other API "
           "call, so the stacktrace below might be incorrect.\nFor debugging consider passing CUDA_LAUNCH_BLOCKING=1.\n"
           "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\n")
    lib = TORCH_MODULE + [("torch/nn/modules/loss.py", "forward", 1179, "return F.cross_entropy(input, target, weight=self.weight,"),
                          ("torch/nn/functional.py", "cross_entropy", 3059, "return torch._C._nn.cross_entropy_loss(input, target, weight, _Reduction.get_enum(reduction), ignore_index, label_smoothing)")]
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg)


def cuda_illegal_access(v):
    msg = ("CUDA error: an illegal memory access was encountered\nCUDA kernel errors might be asynchronously reported at "
           "some other API call, so the stacktrace below might be incorrect.\nFor debugging consider passing "
           "CUDA_LAUNCH_BLOCKING=1.\nCompile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\n")
    lib = TORCH_MODULE + v.pick(ATTN, CONV, [("triton/runtime/jit.py", "run", 550, "kernel.run(grid_0, grid_1, grid_2, kernel.num_warps,")])
    return "RuntimeError", msg, v.python(lib, "RuntimeError", msg)


def tf_label_range(v):
    classes = v.pick(10, 2, 100, 1000)
    msg = (f"Graph execution error:\n\nDetected at node sparse_categorical_crossentropy/SparseSoftmaxCrossEntropyWithLogits/"
           f"SparseSoftmaxCrossEntropyWithLogits defined at (most recent call last):\nReceived a label value of {classes} which "
           f"is outside the valid range of [0, {classes}).  Label values: {' '.join(str(v.n(0, classes)) for _ in range(6))}\n"
           f"\t [[{{{{node sparse_categorical_crossentropy/SparseSoftmaxCrossEntropyWithLogits}}}}]] [Op:__inference_train_function_{v.n(1000, 99999)}]")
    t = "tensorflow.python.framework.errors_impl.InvalidArgumentError"
    return t, msg, v.python(KERAS_FIT + TF_EXEC, t, msg)


def xgboost_label(v):
    msg = (f"[{v.n(0, 23):02d}:{v.n(0, 59):02d}:{v.n(0, 59):02d}] /workspace/src/objective/regression_obj.cu:{v.pick(98, 119)}: "
           "label must be in [0,1] for logistic regression")
    return "xgboost.core.XGBoostError", msg, v.python(XGB_TRAIN, "xgboost.core.XGBoostError", msg)


def inplace(v):
    shape = ", ".join(str(v.pick(64, 128, 256, 512, 768)) for _ in range(v.n(1, 3)))
    ver = v.n(1, 6)
    msg = (f"one of the variables needed for gradient computation has been modified by an inplace operation: "
           f"[torch.cuda.FloatTensor [{shape}]], which is output 0 of {v.pick('ReluBackward0', 'AsStridedBackward0', 'SigmoidBackward0')}, "
           f"is at version {ver + 1}; expected version {ver} instead. Hint: enable anomaly detection to find the operation "
           "that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).")
    return "RuntimeError", msg, v.python(BACKWARD, "RuntimeError", msg)


def backward_twice(v):
    msg = ("Trying to backward through the graph a second time (or directly access saved tensors after they have already "
           "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
           "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access "
           "saved tensors after calling backward.")
    return "RuntimeError", msg, v.python(BACKWARD, "RuntimeError", msg)


def hf_pad_token(v):
    msg = ("Asking to pad but the tokenizer does not have a padding token. Please select a token to use as `pad_token` "
           "`(tokenizer.pad_token = tokenizer.eos_token e.g.)` or add a new pad token via "
           "`tokenizer.add_special_tokens({'pad_token': '[PAD]'})`.")
    lib = HF_TRAIN[:1] + [("transformers/trainer.py", "get_train_dataloader", 815, "return self.accelerator.prepare(DataLoader(train_dataset, **dataloader_params))"),
                          ("transformers/data/data_collator.py", "__call__", 271, "batch = pad_without_fast_tokenizer_warning("),
                          ("transformers/tokenization_utils_base.py", "pad", 3299, "padding_strategy, _, max_length, _ = self._get_padding_truncation_strategies("),
                          ("transformers/tokenization_utils_base.py", "_get_padding_truncation_strategies", 2716, "raise ValueError(")]
    return "ValueError", msg, v.python(lib, "ValueError", msg)


def jax_concretization(v):
    msg = (f"Abstract tracer value encountered where concrete value is expected: traced array with shape {v.pick('int32[]', 'bool[]', 'float32[]')}\n"
           f"The problem arose with the `{v.pick('bool', 'int')}` function. \nThe error occurred while tracing the function "
           f"{v.pick('train_step', 'loss_fn', 'apply_fn')} at {v.root}/{v.pick('policy/learner.py', 'model.py')}:{v.n(10, 300)} for jit. "
           "This concrete value was not available in Python because it depends on the value of the argument batch.\n\n"
           "See https://jax.readthedocs.io/en/latest/errors.html#jax.errors.ConcretizationTypeError")
    lib = JAX_JIT + [("jax/_src/core.py", "__bool__", 1510, "def __bool__(self): return self.aval._bool(self)"),
                     ("jax/_src/core.py", "error", 1459, "raise ConcretizationTypeError(arg, fname_context)")]
    t = "jax.errors.ConcretizationTypeError"
    return t, msg, v.python(lib, t, msg)


def sampler_assert(v):
    lib = LOADER[:1] + [("torch/utils/data/dataloader.py", "_next_index", 623, "return next(self._sampler_iter)  # may raise StopIteration"),
                        ("torch/utils/data/sampler.py", "__iter__", 283, "for idx in self.sampler:"),
                        ("torch/utils/data/distributed.py", "__iter__", 111, "assert len(indices) == self.num_samples")]
    return "AssertionError", "", v.python(lib, "AssertionError", "")


def accelerate_assert(v):
    lib = [("accelerate/data_loader.py", "__iter__", 452, "current_batch = next(dataloader_iter)"),
           ("accelerate/data_loader.py", "_fetch_batches", 771, "batches.append(next(iterator))"),
           ("accelerate/utils/operations.py", "_gpu_broadcast_one", 389, "assert len(batch) == len(self._stop_iteration_flags)")]
    return "AssertionError", "", v.python(lib, "AssertionError", "")


ROOT_CAUSES = [
    # (label, family, framework, generator)
    ("torch-cuda-oom", "memory", "pytorch", torch_cuda_oom),
    ("torch-host-oom", "memory", "pytorch", torch_host_oom),
    ("dataloader-worker-oom-killed", "memory", "pytorch", dataloader_killed),
    ("tf-gpu-oom", "memory", "tensorflow", tf_gpu_oom),
    ("jax-device-oom", "memory", "jax", jax_oom),
    ("xgboost-gpu-oom", "memory", "xgboost", xgboost_gpu_oom),
    ("ray-node-oom", "memory", "ray", ray_node_oom),
    ("spark-executor-heap-oom", "memory", "spark", spark_heap),
    ("spark-yarn-memory-overhead", "memory", "spark", spark_yarn_killed),
    ("rank-killed-sigkill", "memory", "pytorch", host_oom_killed_rank),
    ("nan-in-backward", "numerics", "pytorch", nan_anomaly),
    ("lightning-nan-parameters", "numerics", "lightning", lightning_nan_params),
    ("exploding-gradients", "numerics", "pytorch", exploding_gradients),
    ("loss-scale-collapse", "numerics", "deepspeed", loss_scale_collapse),
    ("jax-debug-nans", "numerics", "jax", jax_debug_nans),
    ("sklearn-nan-input", "numerics", "scikit-learn", sklearn_nan),
    ("nccl-collective-timeout", "distributed", "pytorch", nccl_timeout),
    ("nccl-hang-sigabrt", "distributed", "pytorch", nccl_hang),
    ("rendezvous-failure", "distributed", "pytorch", rendezvous_failure),
    ("ddp-unused-parameters", "distributed", "pytorch", ddp_unused),
    ("deepspeed-batch-config", "distributed", "deepspeed", deepspeed_batch),
    ("slurm-preemption", "scheduling", "slurm", preemption),
    ("slurm-wall-clock-timeout", "scheduling", "slurm", wall_clock),
    ("spot-preemption-sigterm", "scheduling", "pytorch", spot_sigterm),
    ("state-dict-size-mismatch", "checkpoint", "pytorch", state_dict_size),
    ("state-dict-key-mismatch", "checkpoint", "pytorch", state_dict_keys),
    ("hf-model-not-found", "checkpoint", "huggingface", hf_model_not_found),
    ("disk-full-on-save", "checkpoint", "huggingface", disk_full),
    ("linear-shape-mismatch", "shapes-and-types", "pytorch", linear_shape),
    ("device-mismatch", "shapes-and-types", "pytorch", device_mismatch),
    ("dtype-mismatch", "shapes-and-types", "pytorch", dtype_mismatch),
    ("keras-input-shape", "shapes-and-types", "keras", keras_input_shape),
    ("sklearn-feature-count", "shapes-and-types", "scikit-learn", sklearn_features),
    ("jax-concretization", "shapes-and-types", "jax", jax_concretization),
    ("cuda-device-side-assert", "labels-and-kernels", "pytorch", cuda_device_assert),
    ("cuda-illegal-memory-access", "labels-and-kernels", "pytorch", cuda_illegal_access),
    ("tf-label-out-of-range", "labels-and-kernels", "tensorflow", tf_label_range),
    ("xgboost-invalid-label", "labels-and-kernels", "xgboost", xgboost_label),
    ("autograd-inplace-modification", "autograd", "pytorch", inplace),
    ("autograd-backward-twice", "autograd", "pytorch", backward_twice),
    ("hf-missing-pad-token", "data", "huggingface", hf_pad_token),
    # messageless: only the frames tell these two apart
    ("distributed-sampler-assert", "data", "pytorch", sampler_assert),
    ("accelerate-batch-broadcast-assert", "data", "huggingface", accelerate_assert),
]


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    teams = list(TEAMS)
    for label, family, framework, generate in ROOT_CAUSES:
        variants = []
        for i in range(VARIANTS):
            v = Variant(rng, teams[(i + rng.randint(0, 5)) % len(teams)])
            failure_type, message, stacktrace = generate(v)
            variants.append({"team": v.team, "project": v.project, "user": v.user, "type": failure_type,
                             "message": message, "stacktrace": stacktrace})
        with open(os.path.join(out, label + ".json"), "w") as f:
            json.dump({"root_cause": label, "family": family, "framework": framework, "variants": variants}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
