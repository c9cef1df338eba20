"""What the cleaner child (intake.sanitise_worker) runs on hostile bytes, one module per family
of formats, and the bounded pool the web process uses to start that child (pool.py)."""
