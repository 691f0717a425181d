def test_home_page_says_what_the_register_is(client_request):
    page = client_request.get("/")
    assert page.find("h1")
