"""The abuse-test matrix of the solid-state cell beside the liquid baseline, and one temperature trace.

    python examples/python/abuse_matrix.py
"""
import solidcell as sc

for name in ("assb-sulfide-li", "liquid-ncm811-graphite"):
    print(name)
    for test, result in sc.abuse_matrix(name).items():
        if isinstance(result, str):
            print(f"  {test:11s} {result}")
            continue
        s = result.summary()
        onset = "-" if s["onset_time_s"] is None else f"{s['onset_time_s']:.0f} s"
        print(f"  {test:11s} {s['verdict']:4s}  runaway {str(s['thermal_runaway']):5s} onset {onset:>8s}  "
              f"peak {s['peak_temperature_C']:7.1f} C  EUCAR {s['eucar_level']}")

oven = sc.abuse("assb-sulfide-li", "heating", soc=1.0)
hottest = oven.temperature_K.argmax()
print(f"hot box: peak {oven.temperature_K[hottest] - 273.15:.1f} C at t = {oven.time_s[hottest]:.0f} s")
