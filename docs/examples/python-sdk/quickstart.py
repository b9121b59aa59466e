import math

import labjournal

lr = 10.0
with labjournal.start_run(project="quickstart", name="lr too high", params={"lr": lr}) as run:
    loss = 1.0
    for step in range(1000):
        loss *= 1.0 + lr / 4                     # a learning rate this high makes the loss diverge
        run.log_metrics({"loss": loss}, step=step)
        if math.isinf(loss):
            raise FloatingPointError(f"loss diverged to inf at step {step}")
