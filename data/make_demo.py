"""Make the bundled demo data (deterministic): an eval set and a production sample.

    python data/make_demo.py            # writes data/demo/reference.jsonl and production.jsonl
    python data/make_demo.py --check    # exits 1 if the committed files differ from a fresh make

The reference is what a team would evaluate a router on: coding, maths, writing, knowledge,
summarising and translation requests. The production sample has the same kinds of request from
three clients (web, mobile, api-batch) in four locales, plus the regions a benchmark misses: account
and billing support (a new domain, mostly from the mobile app), pasted logs, JSON and HTML with no
question around them (scripted api-batch jobs), Hinglish (hi-IN) and messages with several requests.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "demo"

LANGS = ["Python", "JavaScript", "Go", "Rust", "SQL", "Java", "TypeScript", "C++", "Bash"]
CODE_TASKS = ["reverse a linked list", "parse a CSV file", "debounce a function", "read a file line by line",
              "sort a list of dictionaries by a key", "find duplicates in an array", "merge two sorted lists",
              "validate an email address", "retry an HTTP request with backoff", "compute a moving average",
              "flatten a nested list", "count word frequencies", "implement a binary search", "memoize a function",
              "serialize an object to JSON", "connect to a PostgreSQL database", "paginate query results"]
CODE_T = ["Write a {lang} function to {task}.", "How do I {task} in {lang}?",
          "Explain how to {task} in {lang} with an example.", "What is the most idiomatic way to {task} in {lang}?",
          "Can you show me {lang} code that can {task}?", "Fix my {lang} code: it should {task} but fails on empty input."]
ITEMS = ["apples", "pencils", "marbles", "books", "stickers", "cookies", "tickets", "cards"]
NAMES = ["Maria", "Tom", "Aisha", "Kenji", "Lucas", "Priya", "Omar", "Sofia", "Ben", "Chen"]
MATH_T = ["{name} has {a} {item} and buys {b} more. Then {name} gives away {c}. How many {item} are left?",
          "A shop sells {item} at ${a} each. {name} buys {b} of them and pays with a ${c}0 bill. What is the change?",
          "{name} reads {a} pages a day. How many days does a {b}00-page book take?",
          "If {a} workers build a wall in {b} days, how long do {c} workers take?",
          "Solve for x: {a}x + {b} = {c}{a}.", "What is {a}% of {b}{c}0?",
          "A train travels {a}0 km in {b} hours. What is its average speed?"]
TOPICS = ["the French Revolution", "photosynthesis", "black holes", "the stock market", "climate change",
          "the Roman Empire", "machine learning", "the immune system", "supply and demand", "plate tectonics",
          "the printing press", "quantum computing", "the water cycle", "inflation", "the Renaissance"]
KNOW_T = ["Explain {topic} to a high school student.", "What are the main causes of {topic}?",
          "Give me a short summary of {topic}.", "What are three common misconceptions about {topic}?",
          "How did {topic} change the world?", "Compare {topic} and {topic2} in a short table."]
WRITE_T = ["Write a short poem about {thing}.", "Draft a polite email to my manager asking for {ask}.",
           "Write a product description for {product}.", "Write a haiku about {thing}.",
           "Write a cover letter for a {job} position.", "Give me five blog post titles about {thing}.",
           "Rewrite this sentence to sound more formal: 'we gotta ship {product} by friday'."]
THINGS = ["autumn leaves", "the ocean", "city lights", "a rainy morning", "friendship", "old trains", "coffee"]
ASKS = ["a day off next Friday", "a budget increase", "feedback on my project", "a later deadline"]
PRODUCTS = ["a noise-cancelling headset", "a standing desk", "a reusable water bottle", "a smart thermostat"]
JOBS = ["data analyst", "nurse", "software engineer", "teacher", "product manager"]
SUMM_T = ["Summarize the following paragraph in two sentences: {para}", "TL;DR this for me: {para}",
          "Extract the key facts from this text: {para}"]
PARAS = ["The city council approved a new budget that increases funding for public parks by 12 percent while "
         "reducing spending on road maintenance, citing a recent survey of residents.",
         "Researchers found that participants who slept less than six hours performed worse on memory tasks, "
         "even when they reported feeling rested.",
         "The company reported higher quarterly revenue, driven by strong demand in Asia, but warned that "
         "supply chain costs could weigh on margins next year."]
TRANS_T = ["Translate '{phrase}' into {lang}.", "How do you say '{phrase}' in {lang}?"]
PHRASES = ["where is the train station", "thank you for your help", "I would like a coffee", "see you tomorrow"]
HUMAN_LANGS = ["French", "German", "Spanish", "Japanese", "Italian", "Portuguese"]

SUPPORT = ["I was charged twice for my subscription this month", "how do I cancel my plan before the renewal",
           "my invoice shows the wrong company name, can you fix it", "why did my card get declined on the upgrade page",
           "I want a refund for the annual plan I bought by mistake", "can't log in after resetting my password",
           "how do I add a second seat to my team account", "the app says my trial ended but I paid yesterday",
           "where can I download last month's receipt", "please delete my account and all my data",
           "change the billing email on my account", "I keep getting logged out of the mobile app",
           "is there a student discount on the pro plan", "my promo code is not working at checkout",
           "how do I switch from monthly to yearly billing", "two factor code never arrives by sms"]
SUPPORT_PREFIX = ["", "hi, ", "hello ", "urgent: ", "hey support, ", "pls help - "]
SUPPORT_SUFFIX = ["", "?", " asap", ". thanks", " !!", ", order #{n}"]
LOG_LINES = ["{d} 10:{m}:{s} ERROR [worker-{n}] ConnectionResetError: peer closed connection",
             "{d} 10:{m}:{s} WARN  [scheduler] job {n} exceeded 30s timeout, retrying (attempt 2/5)",
             "{d} 10:{m}:{s} INFO  [api] POST /v1/chat/completions 502 1834ms",
             "{d} 10:{m}:{s} DEBUG [pool] acquired connection id={n} idle=3 busy=17"]
HINGLISH = ["mujhe {topic} ke baare mein simple words mein samjhao", "yeh {lang} code kaam nahi kar raha, kya galat hai",
            "kal tak ek email likhna hai manager ko {ask} ke liye, help karo",
            "{name} ke paas {a} {item} hai, kitne bache agar {b} de diye?", "please {topic} ka short summary do yaar",
            "mera {lang} program error de raha hai, isko fix kaise karu", "ek poem likho {thing} ke upar, thoda funny"]
CONNECTORS = [" Also, ", " And then ", ". Separately, ", " Plus, can you ", "\nSecond question: "]


def _fill(rng: random.Random, template: str) -> str:
    topic, topic2 = rng.sample(TOPICS, 2)
    return template.format(
        lang=rng.choice(LANGS), task=rng.choice(CODE_TASKS), name=rng.choice(NAMES), item=rng.choice(ITEMS),
        a=rng.randint(2, 19), b=rng.randint(2, 9), c=rng.randint(1, 9), topic=topic, topic2=topic2,
        thing=rng.choice(THINGS), ask=rng.choice(ASKS), product=rng.choice(PRODUCTS), job=rng.choice(JOBS),
        para=rng.choice(PARAS), phrase=rng.choice(PHRASES),
    ).replace("{lang}", rng.choice(HUMAN_LANGS))


def benchmark_query(rng: random.Random) -> tuple[str, str]:
    kind = rng.choices(["coding", "math", "knowledge", "writing", "summarize", "translate"],
                       weights=[30, 20, 20, 15, 8, 7])[0]
    templates = {"coding": CODE_T, "math": MATH_T, "knowledge": KNOW_T, "writing": WRITE_T,
                 "summarize": SUMM_T, "translate": TRANS_T}[kind]
    template = rng.choice(templates)
    if kind == "translate":
        return rng.choice(templates).format(phrase=rng.choice(PHRASES), lang=rng.choice(HUMAN_LANGS)), kind
    return _fill(rng, template), kind


def support_query(rng: random.Random) -> str:
    text = rng.choice(SUPPORT_PREFIX) + rng.choice(SUPPORT) + rng.choice(SUPPORT_SUFFIX)
    return text.format(n=rng.randint(10000, 99999))


def paste(rng: random.Random) -> str:
    kind = rng.choice(["log", "json", "html"])
    if kind == "log":
        lines = [rng.choice(LOG_LINES).format(d="2026-11-2" + str(rng.randint(0, 6)), m=f"{rng.randint(0, 59):02d}",
                                              s=f"{rng.randint(0, 59):02d}", n=rng.randint(1, 999))
                 for _ in range(rng.randint(3, 9))]
        return "\n".join(lines)
    if kind == "json":
        payload = {"id": rng.randint(1000, 9999), "status": rng.choice(["failed", "queued", "ok"]),
                   "items": [{"sku": f"A-{rng.randint(100, 999)}", "qty": rng.randint(1, 5)} for _ in range(rng.randint(1, 4))],
                   "error": rng.choice([None, "rate_limited", "invalid_token"])}
        return json.dumps(payload, indent=rng.choice([None, 2]))
    return (f'<div class="card"><h2>{rng.choice(PRODUCTS)}</h2><p class="price">${rng.randint(10, 300)}.99</p>'
            f'<a href="/cart?add={rng.randint(1, 999)}">Add to cart</a><script>track("{rng.randint(1, 99)}")</script></div>')


def hinglish(rng: random.Random) -> str:
    return _fill(rng, rng.choice(HINGLISH))


def multi_request(rng: random.Random) -> str:
    first, _ = benchmark_query(rng)
    second, _ = benchmark_query(rng)
    connector = rng.choice(CONNECTORS)
    if connector.endswith("can you "):
        second = second[0].lower() + second[1:]
    return first.rstrip() + connector + second


def make(seed: int = 7) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(seed)
    reference = []
    for i in range(1500):
        text, kind = benchmark_query(rng)
        reference.append({"id": f"eval-{i:04d}", "text": text, "category": kind})
    production = []
    shapes = (["benchmark-like"] * 2150 + ["support"] * 150 + ["paste"] * 90 + ["hinglish"] * 60
              + ["multi_request"] * 50)
    rng.shuffle(shapes)
    for i, shape in enumerate(shapes):
        if shape == "benchmark-like":
            text, _ = benchmark_query(rng)
            client = rng.choices(["web", "mobile", "api-batch"], weights=[75, 20, 5])[0]
            locale = rng.choices(["en-US", "en-GB", "es-MX", "hi-IN"], weights=[60, 25, 10, 5])[0]
        elif shape == "support":
            text = support_query(rng)
            client = rng.choices(["web", "mobile", "api-batch"], weights=[25, 70, 5])[0]
            locale = rng.choices(["en-US", "en-GB", "es-MX", "hi-IN"], weights=[55, 35, 5, 5])[0]
        elif shape == "paste":
            text = paste(rng)
            client = rng.choices(["web", "mobile", "api-batch"], weights=[10, 5, 85])[0]
            locale = rng.choices(["en-US", "en-GB"], weights=[70, 30])[0]
        elif shape == "hinglish":
            text = hinglish(rng)
            client = rng.choices(["web", "mobile"], weights=[40, 60])[0]
            locale = "hi-IN"
        else:
            text = multi_request(rng)
            client = rng.choices(["web", "mobile", "api-batch"], weights=[70, 20, 10])[0]
            locale = rng.choices(["en-US", "en-GB"], weights=[70, 30])[0]
        shifted = shape != "benchmark-like"
        route = "small-model" if rng.random() < (0.8 if shifted else 0.55) else "large-model"
        bad = rng.random() < (0.25 if shifted and route == "small-model" else 0.05)
        production.append({
            "id": f"prod-{i:05d}", "text": text, "client": client, "locale": locale,
            "tier": rng.choices(["free", "pro", "enterprise"], weights=[60, 30, 10])[0],
            "route": route, "feedback": "thumbs_down" if bad else "none", "shape": shape,
        })
    return reference, production


def dumps(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    reference, production = make()
    files = {"reference.jsonl": dumps(reference), "production.jsonl": dumps(production)}
    if args.check:
        stale = [n for n, text in files.items() if not (args.out / n).is_file() or (args.out / n).read_text(encoding="utf-8") != text]
        if stale:
            print(f"demo data out of date: {', '.join(stale)}; run python data/make_demo.py", file=sys.stderr)
            return 1
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(reference)} reference and {len(production)} production queries to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
