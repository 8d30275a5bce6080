#!/usr/bin/env python3
"""Drives the verify page in headless Chromium (Debian's chromium and chromium-driver) through
Selenium, step by step from a JSON plan, and prints one JSON result per step.

Run by Tests/GovChainEndToEndTests/VerifyPageEndToEndTests.swift, which starts the network, makes
the documents and the lying proxy, and checks the results. A plan is a list of steps:

  {"name": "valid", "url": "http://127.0.0.1:8080/", "file": "/tmp/x.txt",       # choose a file
   "expect_text": ["gültig"], "screenshot": "/tmp/shots/verify-valid.png"}
  {"name": "qr", "url": "http://127.0.0.1:8080/v#<hash>.<salt>"}                  # QR link, no file
  {"name": "offline", "url": "...", "receipt": "r.json", "genesis": "g.json",     # offline mode
   "wait_for": "/tmp/stopped"}   # after loading the page, write <wait_for>.ready, wait for <wait_for>

Each result: {"name", "verdict" (data-verdict of the banner), "title", "details", "screenshot"}.
"""
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

STEP_SECONDS = 30


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=900,1300", "--lang=de-DE", "--no-first-run"):
        options.add_argument(argument)
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def banner(driver, element_id, before):
    """Waits until the banner `element_id` says done for a new check (its `data-check` counter
    moved on from `before`), and returns (verdict, title, details)."""
    def finished(d):
        element = d.find_element(By.ID, element_id)
        fresh = element.get_attribute("data-check") != before
        return element if fresh and element.get_attribute("data-state") == "done" else False
    element = WebDriverWait(driver, STEP_SECONDS).until(finished)
    title = element.find_elements(By.CSS_SELECTOR, "h2, h3, [id$='title']")
    return (element.get_attribute("data-verdict"), title[0].text if title else "", element.text)


def run(driver, step):
    driver.get("about:blank")
    driver.get(step["url"])
    WebDriverWait(driver, STEP_SECONDS).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
    WebDriverWait(driver, STEP_SECONDS).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    verdict_id = "offline-verdict" if "receipt" in step else "verdict"
    before = driver.find_element(By.ID, verdict_id).get_attribute("data-check")
    if "qr" in step["name"]:
        before = None  # the QR link starts its check on load
    if "receipt" in step:
        wait_for = step.get("wait_for")
        if wait_for:
            with open(wait_for + ".ready", "w") as ready:
                ready.write("page loaded\n")
            deadline = time.time() + 120
            while not os.path.exists(wait_for):
                if time.time() > deadline:
                    raise TimeoutError("nobody stopped the network")
                time.sleep(0.1)
        driver.find_element(By.ID, "receipt-input").send_keys(step["receipt"])
        driver.find_element(By.ID, "receipt-genesis-input").send_keys(step["genesis"])
    elif "file" in step:
        driver.find_element(By.ID, "file-input").send_keys(step["file"])
    verdict, title, details = banner(driver, verdict_id, before)
    shot = step.get("screenshot")
    if shot:
        os.makedirs(os.path.dirname(shot), exist_ok=True)
        driver.execute_script(
            "const e = document.getElementById(arguments[0]);"
            "window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 16)", verdict_id)
        driver.save_screenshot(shot)
    return {"name": step["name"], "verdict": verdict, "title": title, "details": details, "screenshot": shot}


def main():
    plan = json.load(open(sys.argv[1]))
    driver = browser()
    results = []
    try:
        version = driver.capabilities.get("browserVersion", "?")
        for step in plan:
            try:
                results.append(run(driver, step))
            except Exception as error:  # report and go on: the Swift test names the failing step
                results.append({"name": step["name"], "verdict": "error", "title": type(error).__name__,
                                "details": str(error)[:2000], "screenshot": None})
    finally:
        driver.quit()
    print(json.dumps({"browser": version, "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
