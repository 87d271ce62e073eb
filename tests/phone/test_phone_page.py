"""The page a ticket's QR code opens, in a real headless browser (Debian's chromium): it shows
the ticket, says prominently when three or fewer are ahead, and changes to the window by
itself when the clerk calls the ticket. Only masked data appears, and the link never carries
the ticket's number."""

from __future__ import annotations

import shutil

import httpx
import pytest

from hallnet.runner import BackgroundServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="needs Debian's chromium and chromium-driver (scripts/bootstrap.sh installs them)")


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=412,915"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_the_phone_page_changes_when_the_clerk_calls_the_ticket(hall, browser):
    hall.update_settings(follow_url="http://127.0.0.1")  # the host part is the server's address below
    for _ in range(4):
        hall.issue_ticket(category="A")
    mine = hall.issue_ticket(category="A", holder_name="张三丰", phone="13812345678")
    with BackgroundServer(hall) as server:
        link = hall.info().follow_payload(mine.ref, mine.follow_token).replace("http://127.0.0.1", server.url)
        assert mine.follow_token in link and mine.number not in link and mine.ref not in link
        browser.get(link)
        body = browser.find_element("tag name", "body").text
        assert "A005" in body and "前面还有 4 人" in body
        assert "张*" in body and "张三丰" not in body and "13812345678" not in body

        hall.call_next(1, "clerk1")  # A001 goes; three are ahead now
        browser.implicitly_wait(0)
        _wait_for(browser, "快到您了：前面还有 3 人")
        assert "urgent" in browser.find_element("id", "state").get_attribute("class")

        for _ in range(3):
            current = hall.current_ticket(1)
            hall.finish(current.id, 1, "clerk1")
            hall.call_next(1, "clerk1")
        current = hall.current_ticket(1)
        hall.finish(current.id, 1, "clerk1")
        assert hall.call_next(1, "clerk1").id == mine.id
        _wait_for(browser, "请到 1 号窗口办理")
        assert "called" in browser.find_element("id", "state").get_attribute("class")

        missing = httpx.get(f"{server.url}/t/AAAAAAAAAAAAAAAA", timeout=5)
        assert missing.status_code == 404 and "找不到这个号票" in missing.text


def test_the_receipt_link_opens_the_application_with_masked_data(hall, browser):
    from kiosk.models import MaterialCheck, MaterialStatus

    checks = tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3))
    app = hall.accept(matter_code="A-001", checks=checks, applicant_name="张三丰", applicant_id="11010519491231002X",
                      phone="13812345678")
    with BackgroundServer(hall) as server:
        browser.get(f"{server.url}/a/{app.follow_token}")
        body = browser.find_element("tag name", "body").text
        assert "已受理" in body and "个体工商户设立登记" in body
        assert app.number not in body and "张三丰" not in body and "11010519491231002X" not in body


def _wait_for(browser, text: str, timeout: float = 10.0) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(lambda d: text in d.find_element("tag name", "body").text)
