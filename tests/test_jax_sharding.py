"""D4: JAX draws placed on one of several devices, or generated already sharded.

XLA reads the host device count when JAX starts, so the checks run in one fresh
process with ``--xla_force_host_platform_device_count=4`` set before ``import jax``.
"""
from __future__ import annotations

import textwrap

_SCRIPT = textwrap.dedent("""
    import json, os
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
    import jax, jax.numpy as jnp, numpy as np
    from jax.sharding import Mesh, NamedSharding, PartitionSpec as P
    import array_random

    out = {"n_devices": len(jax.devices())}
    mesh = Mesh(np.array(jax.devices()), ("x",))
    sharding = NamedSharding(mesh, P("x"))
    plain = array_random.default_rng(jnp, 0).normal(size=(8, 4))
    sharded = array_random.default_rng(jnp, 0).normal(size=(8, 4), device=sharding)
    out["normal_sharding_equal"] = sharded.sharding == sharding
    out["normal_sharding"] = repr(sharded.sharding)
    out["normal_values_equal"] = bool(np.array_equal(np.asarray(sharded), np.asarray(plain)))
    out["normal_shard_devices"] = sorted(s.device.id for s in sharded.addressable_shards)
    out["normal_shard_shapes"] = sorted({tuple(s.data.shape) for s in sharded.addressable_shards})

    # a sampler with parameters and a rejection loop, sharded the same way
    rng_plain, rng_sharded = array_random.default_rng(jnp, 1), array_random.default_rng(jnp, 1)
    ints = rng_sharded.integers(0, 10, size=(8, 4), device=sharding)
    out["integers_sharding_equal"] = ints.sharding == sharding
    out["integers_values_equal"] = bool(np.array_equal(
        np.asarray(ints), np.asarray(rng_plain.integers(0, 10, size=(8, 4)))))

    # a list parameter broadcasts against a sharded draw (it is replicated, not
    # laid out like the output: 3 columns do not divide over 4 devices)
    rng_plain, rng_sharded = array_random.default_rng(jnp, 3), array_random.default_rng(jnp, 3)
    cols = rng_sharded.normal([0.0, 10.0, 20.0, 30.0], 1.0, size=(8, 4), device=sharding)
    out["list_param_sharding_equal"] = cols.sharding == sharding
    out["list_param_values_equal"] = bool(np.array_equal(
        np.asarray(cols), np.asarray(rng_plain.normal([0.0, 10.0, 20.0, 30.0], 1.0, size=(8, 4)))))
    odd = array_random.default_rng(jnp, 3).normal([0.0, 10.0, 20.0], 1.0, size=(8, 3),
                                                   device=sharding)
    out["list_param_odd_shape"] = list(odd.shape)

    # the generator's default device as a sharding
    rng = array_random.default_rng(jnp, 2, device=sharding)
    out["default_sharding_equal"] = rng.random((8, 4)).sharding == sharding

    third = jax.devices()[2]
    on_third = array_random.default_rng(jnp, 0).normal(size=(8, 4), device=third)
    out["device_devices"] = sorted(d.id for d in on_third.devices())
    out["device_values_equal"] = bool(np.array_equal(np.asarray(on_third), np.asarray(plain)))
    rng = array_random.default_rng(jnp, 0, device=third)
    out["generator_device"] = rng.device.id
    out["generator_draw_devices"] = sorted(d.id for d in rng.standard_normal(3).devices())
    # an array on device 2 as xp: namespace and device come from it
    rng = array_random.default_rng(jax.device_put(jnp.zeros(2), third), 0)
    out["array_xp_draw_devices"] = sorted(d.id for d in rng.random(3).devices())
    print(json.dumps(out))
""")


def test_sharded_and_placed_draws(run_jax_script):
    out = run_jax_script(_SCRIPT, x64=False)
    assert out["n_devices"] == 4
    assert out["normal_sharding_equal"], out["normal_sharding"]
    assert out["normal_values_equal"]  # sharding changes placement, never the numbers
    assert out["normal_shard_devices"] == [0, 1, 2, 3]
    assert out["normal_shard_shapes"] == [[2, 4]]
    assert out["integers_sharding_equal"]
    assert out["integers_values_equal"]
    assert out["list_param_sharding_equal"]
    assert out["list_param_values_equal"]
    assert out["list_param_odd_shape"] == [8, 3]
    assert out["default_sharding_equal"]
    assert out["device_devices"] == [2]
    assert out["device_values_equal"]
    assert out["generator_device"] == 2
    assert out["generator_draw_devices"] == [2]
    assert out["array_xp_draw_devices"] == [2]
